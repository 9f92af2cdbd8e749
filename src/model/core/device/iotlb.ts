/**
 * The IOTLB: each IOMMU context's cache of translations (seed 000: "you have to flush the TLBs …
 * unless you have multiple 'windows' and we flush the older ones lazily"). A DMA fills it; an unmap
 * clears the page-table entry but not the cache, so until `iommuFlush` the device keeps reaching the
 * old frame through the cached translation. A correct design therefore releases a frame (put_page)
 * only after the flush that drops its last cached translation — what Linux's IOVA flush queue does
 * with its freelist, and what Xen's deferred `iommu_iotlb_flush` must do before `put_page`.
 *
 * The cache exists only when the design defers flushes (`flush: 'batch'`). With a flush after every
 * operation (Xen's default synchronous flush) no translation outlives the operation that used it, so
 * nothing is stored and the model is exactly the uncached one.
 */
import type { Hop, Principal, ReachEntry, Ref } from '../path.ts';
import type { State } from '../state.ts';

/**
 * One cached translation: bus frame → frame (at the generation it had), the hops it was walked
 * through, and the principal whose DMA filled it (the DMA that may still use it acts for the same one).
 */
export interface IotlbEntry {
  readonly bfn: number;
  readonly mfn: number;
  readonly gen: number;
  readonly write: boolean;
  readonly principal: Principal;
  readonly hops: readonly Hop[];
}

/** A put_page a correct design held back until the flush that drops the frame's last cached translation. */
export interface DeferredPut {
  readonly mfn: number;
  readonly gen: number;
}

/** The IOTLB state: the policy and, per context key (contextKey), its cached translations. */
export interface IotlbState {
  /** 'batch': flushes are deferred to `iommuFlush` or a batched hypercall's end. */
  readonly flush: 'batch';
  /** The bug: put_page as soon as the entry is unmapped, before the flush (frees a frame a device still reaches). */
  readonly freeBeforeFlush: boolean;
  contexts: Record<string, IotlbEntry[]>;
  deferred: DeferredPut[];
}

/** A fresh, empty IOTLB for a design that defers flushes. */
export function emptyIotlb(freeBeforeFlush: boolean): IotlbState {
  return { flush: 'batch', freeBeforeFlush, contexts: {}, deferred: [] };
}

/** The cached translation of `bfn` in context `key`, if any. */
export function iotlbLookup(state: State, key: string, bfn: number): IotlbEntry | undefined {
  return state.iotlb?.contexts[key]?.find((e) => e.bfn === bfn);
}

/** Cache a translation just used (nothing when flushes are not deferred). */
export function iotlbFill(state: State, key: string, e: IotlbEntry): void {
  const t = state.iotlb;
  if (t === undefined) return;
  const old = t.contexts[key] ?? [];
  // No eviction: a context caches at most one translation per bus frame, and the scope has few of
  // them; an evicted entry would also let a put through while a started DMA still uses the frame.
  t.contexts[key] = [...old.filter((x) => x.bfn !== e.bfn), e];
}

/** Whether any IOTLB still caches a translation to `mfn` at its current generation. */
export function iotlbCaches(state: State, mfn: number): boolean {
  const t = state.iotlb;
  if (t === undefined) return false;
  const gen = state.frames[mfn].gen;
  for (const key in t.contexts) if (t.contexts[key].some((e) => e.mfn === mfn && e.gen === gen)) return true;
  return false;
}

/** Whether context `key` caches a translation to a frame `dom` owns (a target change must wait for its flush). */
export function iotlbCachesFramesOf(state: State, key: string, dom: number): boolean {
  return (state.iotlb?.contexts[key] ?? []).some((e) => {
    const o = state.frames[e.mfn]?.owner;
    return o !== undefined && o.kind === 'dom' && o.dom === dom;
  });
}

/** Whether context `key` has anything cached (an `iommuFlush` of it would change something). */
export function iotlbHolds(state: State, key: string): boolean {
  return (state.iotlb?.contexts[key]?.length ?? 0) > 0;
}

/** Keys of the contexts holding cached translations, in key order. */
export function cachedContexts(state: State): string[] {
  const t = state.iotlb;
  return t === undefined ? [] : Object.keys(t.contexts).filter((k) => t.contexts[k].length > 0).sort();
}

/**
 * Flush one context's IOTLB (every context's when `key` is omitted), then perform the puts held back
 * for frames no IOTLB caches any more. Returns how many cached translations were dropped.
 * `put` is the undeferred put_page (frames.ts passes its own, so this file needs no frame logic).
 */
export function iotlbFlush(state: State, put: (mfn: number) => void, key?: string): number {
  const t = state.iotlb;
  if (t === undefined) return 0;
  let dropped = 0;
  for (const k of Object.keys(t.contexts)) {
    if (key !== undefined && k !== key) continue;
    dropped += t.contexts[k].length;
    delete t.contexts[k];
  }
  const due = t.deferred.filter((p) => !iotlbCaches(state, p.mfn));
  if (due.length > 0) {
    t.deferred = t.deferred.filter((p) => iotlbCaches(state, p.mfn));
    for (const p of due) put(p.mfn);
  }
  return dropped;
}

/** A reach fact through a cached translation: the IOTLB hop, then the hops it was walked through. */
function cachedReach(key: string, e: IotlbEntry): ReachEntry {
  return { principal: e.principal, mfn: e.mfn, write: e.write, path: [{ via: 'iotlb', ctx: key, bfn: e.bfn }, ...e.hops] };
}

/** Reach source: every cached translation lets the principal that filled it keep reaching its frame. */
export function iotlbReach(state: State, out: ReachEntry[]): void {
  const t = state.iotlb;
  if (t === undefined) return;
  for (const key of Object.keys(t.contexts).sort()) for (const e of t.contexts[key]) out.push(cachedReach(key, e));
}

/**
 * Refs source: a cached translation names its frame without holding a count (uncounted, at the
 * generation it was cached at); a held-back put is a counted reference until the flush performs it.
 */
export function iotlbRefs(state: State, out: Ref[]): void {
  const t = state.iotlb;
  if (t === undefined) return;
  for (const key of Object.keys(t.contexts).sort()) {
    for (const e of t.contexts[key]) out.push({ mfn: e.mfn, gen: e.gen, counted: false, holder: { via: 'iotlb', ctx: key, bfn: e.bfn } });
  }
  for (const p of t.deferred) out.push({ mfn: p.mfn, gen: p.gen, counted: true, holder: { via: 'iotlb', ctx: 'deferred', bfn: -1, deferredPut: true } });
}
