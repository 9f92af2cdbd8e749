/** The invariants of the IOASID designs (invariants/ioasid/), and the core ones a Linux host keeps. */
import { CORE_INVARIANT_IDS } from '../../core/designs/coreInvariants.ts';

/**
 * The core invariants, without end-access-fails-while-mapped: a Linux host has no grant tables, so the
 * IOASID designs have no grant ops for it to judge.
 */
export const HOST_CORE_INVARIANT_IDS: readonly string[] = CORE_INVARIANT_IDS.filter((id) => id !== 'end-access-fails-while-mapped');

/** The IOASID invariants, checked beside the host's core ones. */
export const IOASID_INVARIANT_IDS: readonly string[] = [
  'dma-only-own-memory',
  'attach-only-through-bound-fd',
  'no-partial-group-dma',
  'unmap-revokes-before-unpin',
  'locked-accounting-exact',
  'nested-shadow-coherent',
  'pasid-confined-to-fd',
  'fault-delivered-to-owner',
  'iommu-follows-memslots',
];
