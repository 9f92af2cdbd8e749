/**
 * Ids of the invariants over the core memory model, which every design of it is checked against; the
 * two generic ones (invariants/generic/) come first, as a TLA+ spec checks TypeOK first.
 */
export const CORE_INVARIANT_IDS: readonly string[] = [
  'type-ok',
  'refused-op-changes-nothing',
  'no-foreign-reach',
  'no-xen-frame-reach',
  'no-stale-reference',
  'refcounts-match-refs',
  'quota-matches-ownership',
  'end-access-fails-while-mapped',
];
