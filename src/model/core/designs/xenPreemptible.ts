/**
 * `xen-preemptible`: `xen-map-for-dma` with its long handlers non-atomic, as Xen runs them
 * (issue 11 item 3; conformance MEM-13, DOM-08). Domain destruction relinquishes a few entries per
 * phase and continues after -ERESTART; XENMEM_decrease_reservation over a list of extents checks for
 * preemption between extents and resumes at nr_done; the XenGT batched map is preemptible between
 * entries. Other principals' actions interleave between phases, and a generated `continue` resumes a
 * pending continuation. With Xen's order (the domain paused and dying before anything is
 * relinquished) or with the p2m lock held across preemptions, every invariant of the baseline
 * holds; with neither (`relinquishGuard=none`) a grant map or populate_physmap lands on the
 * half-destroyed domain behind the relinquish cursor.
 */
import type { Design, Expectation } from '../design.ts';
import { mapForDma } from '../ops/dmaAddress.ts';
import { decreaseReservation } from '../ops/memory.ts';
import { makePhasedDestroyDomain, relinquishConfig, RELINQUISH_KNOBS } from '../ops/phasedDomains.ts';
import { makePhasedShadowSetBatch } from '../ops/phasedBatch.ts';
import { makeDecreaseReservationRange } from '../ops/phasedMemory.ts';
import { INTERLEAVED, withContinuations } from '../phase.ts';
import { withCoreLocks } from '../phaseLocks.ts';
import type { OpDef } from '../op.ts';
import { xenMapForDma } from './xenMapForDma.ts';

/** The baseline's ops with the phased ones in their places, the range decrease after decreaseReservation. */
function preemptibleOps(): OpDef[] {
  const phased: Record<string, OpDef> = { destroyDomain: makePhasedDestroyDomain(), shadowSetBatch: makePhasedShadowSetBatch(mapForDma) };
  const out: OpDef[] = [];
  for (const op of xenMapForDma.ops) {
    out.push(phased[op.name] ?? op);
    if (op.name === 'decreaseReservation') out.push(makeDecreaseReservationRange(decreaseReservation));
  }
  return withContinuations(withCoreLocks(out));
}

/** Xen's preemptible handlers over the map-for-DMA interface. */
export const xenPreemptible: Design = {
  id: 'xen-preemptible',
  title: 'map-for-DMA with preemptible handlers: relinquish after -ERESTART, decrease_reservation resuming at nr_done, a preemptible batched map',
  description:
    "xen-map-for-dma's interface with Xen's long handlers split into phases that other principals' actions interleave: domain destruction relinquishes two entries per phase, a multi-extent decrease_reservation is preempted between extents, the batched map between entries.",
  source: "seed 000 (the thread's batched map requests); xen-project/xen: xen/common/domain.c domain_kill, xen/common/memory.c decrease_reservation (hypercall_preempt_check, nr_done); issue 11 item 3",
  knobs: { ...xenMapForDma.knobs, ...RELINQUISH_KNOBS },
  variants: [{ relinquishGuard: 'p2m-lock' }, { relinquishGuard: 'none' }],
  ops: preemptibleOps(),
  // In the registry's order (right after iotlb-flushed-before-free), as reports list invariants.
  invariants: xenMapForDma.invariants.flatMap((id) => (id === 'iotlb-flushed-before-free' ? [id, 'relinquished-domain-holds-nothing'] : [id])),
  expect: (knobs): Record<string, Expectation> => {
    const out = { ...xenMapForDma.expect(knobs) };
    if (relinquishConfig(knobs).relinquishGuard === 'none') {
      out['relinquished-domain-holds-nothing'] = {
        verdict: 'violated',
        why: 'relinquishGuard=none: the domain is marked dying only when the relinquish loop ends, so between two preempted phases it maps a grant (or populates a GFN) behind the cursor, and the finished teardown leaves that mapping held',
      };
      out['refcounts-match-refs'] = {
        verdict: 'violated',
        why: "relinquishGuard=none: the grant mapping that landed behind the relinquish cursor still holds its reference on the granter's frame, but a dead domain's tables are no one's references any more: the count exceeds the references (the leak)",
      };
    }
    return out;
  },
  // Besides the baseline's: a continuation resumed after others ran in its window, and each phased handler preempted and continued.
  sometimes: (knobs) => [...(xenMapForDma.sometimes?.(knobs) ?? []), INTERLEAVED, 'decrease-reservation-continued', 'batched-map-continued'],
  buildWorld: xenMapForDma.buildWorld,
};
