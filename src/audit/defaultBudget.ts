/**
 * Audit's default budget, chosen from a measurement rather than copied from `fuzz`: with it, every
 * expected violation of every shipped design — at its defaults and at each of its notable knob
 * variants, each one a proposal a reviewer could write as a knob file — is found from every seed
 * 1–20 (`npx tsx src/audit/measureBudget.ts`; docs/audit.md has the figures). The worst case measured
 * needs 1,727 runs (ioasid-fd with attachCheck=any-fd, pasid-confined-to-fd, from seed 16), so `fuzz`'s
 * 1,000 misses it; test/audit/defaultBudget.test.ts re-checks it, so a generator or design change that
 * makes it rarer than this budget fails a test.
 */
export const AUDIT_DEFAULT_RUNS = 2000;
