/**
 * Frame bookkeeping shared by every operation: the allocator, reference counting and the rule that a
 * frame goes back to the heap only when its last reference is dropped (Xen's put_page → free_domheap_page).
 */
import { iotlbCaches, iotlbFlush } from './device/iotlb.ts';
import type { DomId, Frame, FrameOwner, State } from './state.ts';

/** The owner value of a free frame. Owners are frozen and shared: they are replaced, never edited. */
export const FREE: FrameOwner = Object.freeze({ kind: 'free' });
/** The owner value of a frame Xen owns. */
export const XEN: FrameOwner = Object.freeze({ kind: 'xen' });
const domOwners: FrameOwner[] = [];
/** The (frozen, shared) owner value of a frame domain `dom` owns. */
export function domOwner(dom: DomId): FrameOwner {
  return (domOwners[dom] ??= Object.freeze({ kind: 'dom', dom }));
}

/** The domain owning a frame, or undefined when Xen owns it or it is free. */
export function ownerDom(frame: Frame): DomId | undefined {
  return frame.owner.kind === 'dom' ? frame.owner.dom : undefined;
}

/**
 * Free RAM frames in the order the allocator prefers them: most recently freed first (Xen's heap hands
 * out a just-freed page readily, which is what makes the ballooning race real), then by MFN.
 */
export function freeFrames(state: State): number[] {
  const freed: number[] = [];
  const never: number[] = [];
  for (let mfn = 0; mfn < state.frames.length; mfn++) {
    const f = state.frames[mfn];
    if (f.owner.kind !== 'free' || f.kind !== 'ram') continue;
    if (f.freedAt >= 0) freed.push(mfn);
    else never.push(mfn);
  }
  // Only the few frames freed during the run need ordering; the rest keep MFN order. (Hot path.)
  if (freed.length > 1) freed.sort((a, b) => state.frames[b].freedAt - state.frames[a].freedAt || a - b);
  for (const mfn of never) freed.push(mfn);
  return freed;
}

/** Hand a free frame to a domain (or Xen): new generation, one reference for the caller's own entry. */
export function allocFrame(state: State, mfn: number, to: { kind: 'dom'; dom: DomId } | { kind: 'xen' }): void {
  const f = state.frames[mfn];
  f.owner = to.kind === 'dom' ? domOwner(to.dom) : XEN;
  f.gen += 1;
  f.refcount = 1;
  if (to.kind === 'dom') state.domains[to.dom].totPages += 1;
}

/** Take a reference on a frame (get_page). MMIO frames have no page bookkeeping, so nothing to count. */
export function getRef(state: State, mfn: number): void {
  const f = state.frames[mfn];
  if (f.kind === 'mmio') return;
  f.refcount += 1;
}

/**
 * Drop a reference (put_page). When the count reaches zero a domain's frame is freed: its owner's
 * `tot_pages` drops, and a dying domain that owns nothing more becomes dead. While an IOTLB still
 * caches a translation to the frame, a correct design holds the put back until the flush that drops it
 * (the design's `freeBeforeFlush` bug does not).
 */
export function putRef(state: State, mfn: number): void {
  const f = state.frames[mfn];
  if (f.kind === 'mmio') return;
  const t = state.iotlb;
  if (t !== undefined && !t.freeBeforeFlush && iotlbCaches(state, mfn)) {
    t.deferred.push({ mfn, gen: f.gen });
    return;
  }
  f.refcount -= 1;
  if (f.refcount > 0) return;
  const dom = ownerDom(f);
  f.owner = FREE;
  f.refcount = 0;
  f.freedAt = state.clock;
  if (dom === undefined) return;
  const d = state.domains[dom];
  d.totPages -= 1;
  if (d.state === 'dying' && d.totPages === 0) d.state = 'dead';
}

/**
 * Give back a reference the running op took a moment ago, on its error path (map_grant_ref's undo_out,
 * get_page_from_gfn's put on a failed p2m update). Never held back for the IOTLB: no translation can
 * have used a mapping that never came to exist, so the count simply returns to what it was.
 */
export function undoGetRef(state: State, mfn: number): void {
  const f = state.frames[mfn];
  if (f.kind === 'mmio') return;
  f.refcount -= 1;
}

/** Flush the IOTLB of one context (every context when `key` is omitted) and perform the puts it held back. */
export function flushIotlb(state: State, key?: string): number {
  return iotlbFlush(state, (mfn) => putRef(state, mfn), key);
}
