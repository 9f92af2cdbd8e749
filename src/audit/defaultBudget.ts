/**
 * Audit's default budget, chosen from a measurement rather than copied from `fuzz`: with it, every
 * expected violation of every shipped design — at its defaults and at each of its notable knob
 * variants, each one a proposal a reviewer could write as a knob file — is found from every seed
 * 1–20 (`npx tsx src/audit/measureBudget.ts test/fixtures/designs/variants`; docs/audit.md has the
 * figures). Measured on the merged model of round 4: the worst case needs 3,236 runs (xen-grant-backend
 * with grantHandler=handle-freed-at-first-half, no-foreign-reach), so `fuzz`'s 1,000 misses it and the
 * earlier 2,000 did too; 3,500 leaves a margin. test/audit/defaultBudget.test.ts re-checks the IOASID
 * designs' worst case, so a generator or design change that makes it rarer than this budget fails a test.
 */
export const AUDIT_DEFAULT_RUNS = 3500;
