/** Ids of the invariants over device assignment and RMRRs (seed 003), checked beside the core ones. */
export const RMRR_INVARIANT_IDS: readonly string[] = [
  'no-shared-rmrr-across-vms',
  'rmrr-identity-while-assigned',
  'rmrr-space-reserved',
  'no-rmrr-map-without-device',
  'device-dma-only-own-domain',
  'assign-refused-exactly-on-policy',
];
