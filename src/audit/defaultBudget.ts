/**
 * Audit's default budget, chosen from a measurement rather than copied from `fuzz`: with it, every
 * expected violation of every shipped design — at its defaults and at each of its notable knob
 * variants, each one a proposal a reviewer could write as a knob file — is found from every seed
 * 1–20 (`npx tsx src/audit/measureBudget.ts`; docs/audit.md has the figures). The worst case measured
 * needed 1,004 runs (xen-translate-gpfn's no-xen-frame-reach from seed 19), so `fuzz`'s 1,000 missed
 * it; twice that leaves room for generators and designs to drift before the test in
 * test/audit/defaultBudget.test.ts notices.
 */
export const AUDIT_DEFAULT_RUNS = 2000;
