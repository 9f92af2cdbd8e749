/** The invariants of the IOASID designs, checked beside the core ones (invariants/ioasid/). */
export const IOASID_INVARIANT_IDS: readonly string[] = [
  'dma-only-own-memory',
  'attach-only-through-bound-fd',
  'no-partial-group-dma',
  'unmap-revokes-before-unpin',
  'locked-accounting-exact',
  'nested-shadow-coherent',
  'pasid-confined-to-fd',
  'fault-delivered-to-owner',
];
