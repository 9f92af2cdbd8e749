/**
 * Fallible points: the places inside an operation where the real hypercall can fail half-way — an
 * allocation (a frame, a maptrack entry, an IOMMU or p2m page-table page), a copy from guest memory,
 * a preemption check. An op declares each one as it reaches it (`fallible(ctx, 'iommu-pt-page')`) and,
 * when the harness injects a failure there, answers the errno the real call would after undoing what
 * it already did — the error paths Linux's iommufd selftests reach with `fail_nth`. Outside fault
 * injection every point succeeds, so declaring one changes no behaviour.
 */
import type { Errno, OpContext } from './op.ts';

/** The kinds of fallible point the model's ops declare, named after what Xen allocates or copies there. */
export type FalliblePoint =
  /** alloc_domheap_page for a guest (populate_physmap). */
  | 'frame-alloc'
  /** get_maptrack_handle: the grantee's maptrack has no free entry and cannot grow. */
  | 'maptrack-entry'
  /** iommu_map needs a new IOMMU page-table page (intermediate level) and the allocation fails. */
  | 'iommu-pt-page'
  /** p2m_set_entry needs a new p2m page-table page and the allocation fails. */
  | 'p2m-pt-page'
  /** copy_from_guest of a hypercall argument or guest-resident structure faults. */
  | 'copy-from-guest';

/** Every fallible point kind, in the order docs list them. */
export const FALLIBLE_POINTS: readonly FalliblePoint[] = ['frame-alloc', 'maptrack-entry', 'iommu-pt-page', 'p2m-pt-page', 'copy-from-guest'];

/**
 * The errno the real call answers when the point fails: allocations are ENOMEM (Xen's maptrack
 * exhaustion is GNTST_no_space, which the grant-table ABI reports; ENOSPC is its errno here), a failed
 * copy from guest memory is EFAULT.
 */
export const POINT_ERRNO: Readonly<Record<FalliblePoint, Errno>> = Object.freeze({
  'frame-alloc': 'ENOMEM',
  'maptrack-entry': 'ENOSPC',
  'iommu-pt-page': 'ENOMEM',
  'p2m-pt-page': 'ENOMEM',
  'copy-from-guest': 'EFAULT',
});

/** What an op consults at each fallible point: the harness's injector for the current step. */
export interface FaultSite {
  /** The op reached `point`: undefined to go on, or the errno to fail with (the op must then roll back). */
  reach(point: FalliblePoint): Errno | undefined;
}

/** One injected failure as a trace step records it: the `at`-th fallible point of the step (1-based) failed. */
export interface InjectedFault {
  point: FalliblePoint;
  at: number;
  err: Errno;
}

/**
 * Declare a fallible point: undefined when the op goes on (always, outside fault injection), or the
 * errno to answer after undoing whatever the op already changed in this step.
 */
export function fallible(ctx: OpContext, point: FalliblePoint): Errno | undefined {
  return ctx.faults?.reach(point);
}
