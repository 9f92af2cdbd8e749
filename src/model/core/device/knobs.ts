/**
 * The IOTLB knobs a design that models flush ordering declares, and the world setup they imply.
 * Seed 000's thread asks for batched map requests and lazily flushed "windows"; Linux's intel-iommu
 * defers unmaps to a flush queue. Either way the ordering of "flush" against "free the page" decides.
 */
import type { Expectation, KnobConfig, KnobDefs } from '../design.ts';
import { knobReader } from '../design.ts';
import type { State } from '../state.ts';
import { emptyIotlb } from './iotlb.ts';

/** The IOTLB knobs. */
export const IOTLB_KNOBS = {
  iotlbFlush: {
    description:
      'when Xen flushes the IOTLB after an unmap: each-op (synchronously, before the hypercall returns) or batch (deferred to iommuFlush or the end of a batched hypercall: devices keep their cached translations meanwhile)',
    values: ['each-op', 'batch'],
    default: 'each-op',
  },
  freeBeforeFlush: {
    description:
      'the bug the deferral invites: put_page as soon as the entry is unmapped, before the flush that drops its cached translation (only matters with iotlbFlush=batch)',
    values: [false, true],
    default: false,
  },
} as const satisfies KnobDefs;

/** `{ iotlbFlush, freeBeforeFlush }` under a run's knob values. */
export const iotlbConfig: (knobs: Record<string, string | number | boolean>) => KnobConfig<typeof IOTLB_KNOBS> = knobReader(IOTLB_KNOBS);

/** Give a freshly built world its IOTLBs when the knobs defer flushes (and nothing otherwise). */
export function withIotlb(state: State, knobs: Record<string, string | number | boolean>): State {
  const c = iotlbConfig(knobs);
  if (c.iotlbFlush === 'batch') state.iotlb = emptyIotlb(c.freeBeforeFlush);
  return state;
}

/**
 * What freeing before the flush breaks, whatever the slice: the cached translation outlives the frame's
 * allocation, so the device (or GPU) reaches the free pool, then Xen's or the next owner's frame.
 * Empty unless the knobs defer flushes and free first.
 */
export function freeBeforeFlushExpectations(knobs: Record<string, string | number | boolean>): Record<string, Expectation> {
  const c = iotlbConfig(knobs);
  if (c.iotlbFlush !== 'batch' || !c.freeBeforeFlush) return {};
  return {
    'iotlb-flushed-before-free': {
      verdict: 'violated',
      why: 'freeBeforeFlush: the unmap drops the last reference before the deferred flush, so an IOTLB still caches a translation to a free frame',
    },
    'no-foreign-reach': {
      verdict: 'violated',
      why: 'freeBeforeFlush: a device (or the GPU) reaches, through the unflushed IOTLB, a frame already back in the heap',
    },
    'no-xen-frame-reach': {
      verdict: 'violated',
      why: 'freeBeforeFlush: the frame freed before the flush is handed to Xen, and the cached translation still reaches it',
    },
    'no-stale-reference': {
      verdict: 'violated',
      why: 'freeBeforeFlush: the cached translation was taken at one allocation of the frame and outlives it into the next',
    },
  };
}
