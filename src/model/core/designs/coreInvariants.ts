/** Ids of the invariants over the core memory model, which every design of it is checked against. */
export const CORE_INVARIANT_IDS: readonly string[] = [
  'no-foreign-reach',
  'no-xen-frame-reach',
  'no-stale-reference',
  'refcounts-match-refs',
  'quota-matches-ownership',
  'end-access-fails-while-mapped',
];
