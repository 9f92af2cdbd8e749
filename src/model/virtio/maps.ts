/**
 * The virtio-GPU slice's queries and its part of the derived relations (seed 004). Three paths reach
 * memory besides a domain's own p2m: a passthrough device DMAing through the IOMMU (shared EPT: the
 * device sees the p2m entries the IOMMU honours), a DMA still in flight, and a hypercall still in
 * flight that uses a page as its buffer. Onward Maps are p2m entries, so `cpuReach` sees them.
 */
import type { DmaContext } from '../core/device/context.ts';
import { contextKey, walkContext } from '../core/device/context.ts';
import { dmaPrincipal, heldDmaReach, heldDmaRef } from '../core/device/dma.ts';
import { cachedContexts, iotlbFill, iotlbLookup } from '../core/device/iotlb.ts';
import { iommuFlush } from '../core/device/ops.ts';
import { defineOp, fail, OK } from '../core/op.ts';
import { translateDma } from '../core/device/translate.ts';
import { flushIotlb } from '../core/frames.ts';
import { pushP2mHops } from '../core/p2mPath.ts';
import type { Hop, Principal, ReachEntry, Ref } from '../core/path.ts';
import type { DomId, P2mType, State } from '../core/state.ts';
import type { VirtioGpuState, VirtioMap } from './state.ts';

/** The live Map with this handle, or undefined. */
export function liveMap(v: VirtioGpuState, handle: number): VirtioMap | undefined {
  return v.maps[handle] ?? undefined;
}

/** The Map whose entry sits at (dom, gfn) now, with its handle, or undefined. */
export function mapAt(state: State, dom: DomId, gfn: number): { handle: number; map: VirtioMap } | undefined {
  const v = state.virtio;
  const e = state.domains[dom]?.p2m[gfn];
  if (v === undefined || e === null || e === undefined || e.map === undefined) return undefined;
  const map = liveMap(v, e.map.handle);
  return map === undefined ? undefined : { handle: e.map.handle, map };
}

/** Handles of every live Map below `handle` (its onward Maps, theirs, …). */
export function descendants(v: VirtioGpuState, handle: number): number[] {
  const out: number[] = [];
  const queue = [handle];
  while (queue.length > 0) {
    const parent = queue.pop()!;
    v.maps.forEach((m, h) => {
      if (m !== null && m.parent === parent && h !== handle && !out.includes(h)) {
        out.push(h);
        queue.push(h);
      }
    });
  }
  return out;
}

/** The direct Map at the root of a Map's chain, or undefined when an ancestor was revoked. */
export function rootMap(v: VirtioGpuState, handle: number): VirtioMap | undefined {
  let m = liveMap(v, handle);
  for (let depth = 0; m !== undefined && m.parent >= 0 && depth < v.maps.length; depth++) m = liveMap(v, m.parent);
  return m !== undefined && m.parent < 0 ? m : undefined;
}

/**
 * Whether a backend may provide frame `mfn` by Map: its own RAM, or an MMIO frame its iomem_caps
 * permit. The frontend's permissions do not enter into it (the thread's answer to Roger).
 */
export function mayProvide(state: State, backend: DomId, mfn: number): boolean {
  const f = state.frames[mfn];
  if (f === undefined) return false;
  if (f.kind === 'mmio') return iomemPermits(state, backend, mfn);
  return f.owner.kind === 'dom' && f.owner.dom === backend;
}

/** Whether a domain's iomem_caps let it reach an MMIO frame directly (its own device's BAR). */
export function iomemPermits(state: State, dom: DomId, mfn: number): boolean {
  return state.virtio?.iomemCaps[dom]?.includes(mfn) ?? false;
}

/**
 * Whether a reach path is authorised by a live Map chain: it goes through a Map whose chain leads to
 * a direct Map by a backend that may provide the frame. An onward Map orphaned by a non-transitive
 * Revoke authorises nothing.
 */
export function providedByMap(state: State, path: readonly Hop[], mfn: number): boolean {
  const v = state.virtio;
  if (v === undefined) return false;
  for (const hop of path) {
    if (hop.via !== 'virtioMap') continue;
    const root = rootMap(v, hop.handle);
    if (root !== undefined && root.mfn === mfn && mayProvide(state, root.provider, mfn)) return true;
  }
  return false;
}

/**
 * The hops after an in-flight use: the p2m entry it translated through, while that entry still maps the
 * same frame (so a live Map still authorises it); nothing once the entry is gone or changed.
 */
function translatedVia(state: State, dom: DomId, gfn: number, mfn: number, gen: number): Hop[] {
  const e = state.domains[dom].p2m[gfn];
  const hops: Hop[] = [];
  if (e !== null && e !== undefined && e.mfn === mfn && e.gen === gen) pushP2mHops(hops, dom, gfn, e);
  return hops;
}

/** The context a passthrough device of `dom` translates in: its IOMMU shares the p2m (shared EPT). */
export function frontendDeviceContext(dom: DomId): DmaContext {
  return { kind: 'shared-ept', dom };
}

/** A device's reach through the shared-EPT IOMMU, built by the core's device path when a witness asks. */
class SharedEptReach implements ReachEntry {
  constructor(
    readonly principal: Principal,
    readonly mfn: number,
    readonly write: boolean,
    private readonly state: State,
    private readonly gfn: number,
  ) {}
  get path(): Hop[] {
    const hops: Hop[] = [{ via: 'iommu', dom: this.principal.dom, bfn: this.gfn, shared: true }];
    translateDma(this.state, frontendDeviceContext(this.principal.dom), this.gfn, hops);
    return hops;
  }
  toJSON(): ReachEntry {
    return { principal: this.principal, mfn: this.mfn, write: this.write, path: this.path };
  }
}

/** Add what passthrough devices reach through the shared-EPT IOMMU and by DMAs still in flight. */
function deviceReach(state: State, v: VirtioGpuState, out: ReachEntry[]): void {
  for (const dev of v.devices) {
    const d = state.domains[dev.dom];
    if (d.state !== 'alive') continue;
    const principal: Principal = { kind: 'device', dom: dev.dom, device: dev.name };
    const c = frontendDeviceContext(dev.dom);
    for (let gfn = 0; gfn < d.p2m.length; gfn++) {
      const t = translateDma(state, c, gfn);
      if (t !== undefined) out.push(new SharedEptReach(principal, t.mfn, t.write, state, gfn));
    }
  }
  for (const x of v.dmas) {
    if (state.domains[x.by].state !== 'alive') continue;
    const first: Hop[] = [{ via: 'dmaInFlight', dom: x.by, device: x.device, bfn: x.bfn }];
    const r = heldDmaReach(state, frontendDeviceContext(x.by), x, first, x.by);
    if (r !== undefined) out.push(r);
  }
}

/** Add what in-flight hypercalls reach: Xen copying to or from the caller's buffer on its behalf. */
function hypercallReach(state: State, v: VirtioGpuState, out: ReachEntry[]): void {
  v.hypercalls.forEach((h, slot) => {
    if (state.domains[h.dom].state !== 'alive') return;
    const path: Hop[] = [{ via: 'hypercall', dom: h.dom, slot, gfn: h.gfn }, ...translatedVia(state, h.dom, h.gfn, h.mfn, h.gen)];
    out.push({ principal: { kind: 'cpu', dom: h.dom }, mfn: h.mfn, write: h.write, path });
  });
}

/** The virtio-GPU reach source (registered in reach.ts). */
export function virtioReach(state: State, out: ReachEntry[]): void {
  const v = state.virtio;
  if (v === undefined) return;
  deviceReach(state, v, out);
  hypercallReach(state, v, out);
}

/**
 * The virtio-GPU reference source (registered in refs.ts): an in-flight hypercall holds a counted page
 * reference (RAM only); an in-flight DMA names a frame without holding one — the IOTLB flush that
 * follows every p2m change waits for it instead.
 */
export function virtioRefs(state: State, out: Ref[]): void {
  const v = state.virtio;
  if (v === undefined) return;
  v.hypercalls.forEach((h, slot) => {
    out.push({ mfn: h.mfn, gen: h.gen, counted: h.counted, holder: { via: 'hypercall', dom: h.dom, slot, gfn: h.gfn } });
  });
  for (const x of v.dmas) {
    if (state.domains[x.by].state !== 'alive') continue;
    const r = heldDmaRef(x, { via: 'dmaInFlight', dom: x.by, device: x.device, bfn: x.bfn });
    if (r !== undefined) out.push(r);
  }
}

/**
 * The IOTLB flush that follows a p2m change: it empties the IOTLBs (performing the puts held back for
 * them) and waits for DMAs whose translation is gone or changed, so they complete and are no longer in
 * flight. Domains that are no longer alive lose their DMAs too (their devices were deassigned).
 */
export function flushAndWait(state: State): void {
  const v = state.virtio;
  // Wait for the invalidated DMAs first, so the puts the flush performs free nothing a DMA still uses.
  if (v !== undefined && v.dmas.length > 0) v.dmas = v.dmas.filter((x) => {
    const d = state.domains[x.by];
    if (d.state !== 'alive') return false;
    const now = walkContext(state, frontendDeviceContext(x.by), x.bfn);
    return now !== undefined && now.mfn === x.mfn && now.gen === x.gen;
  });
  flushIotlb(state);
  keepStartedCached(state);
}

/**
 * A transfer still running holds its translation through any flush (the device is mid-DMA): it stays
 * cached, so a later unmap of its frame is again held back until a flush has waited for it. Run after a
 * flush the core made on its own (a target change flushes at once).
 */
export function keepStartedCached(state: State): void {
  const v = state.virtio;
  if (v === undefined || state.iotlb === undefined) return;
  for (const x of v.dmas) {
    const c = frontendDeviceContext(x.by);
    if (iotlbLookup(state, contextKey(c), x.bfn) !== undefined) continue;
    const hops: Hop[] = [];
    const w = walkContext(state, c, x.bfn, hops);
    if (w !== undefined && w.mfn === x.mfn && w.gen === x.gen) iotlbFill(state, contextKey(c), { bfn: x.bfn, mfn: w.mfn, gen: w.gen, write: w.write, principal: dmaPrincipal(x), hops });
  }
}

/** Xen's deferred IOTLB flush in the virtio-GPU world: it waits for the DMAs it invalidates (flushAndWait). */
export const virtioIommuFlush = defineOp({
  ...iommuFlush,
  doc: "Xen flushes the IOMMU contexts' IOTLBs (a deferred flush), waiting for the DMAs it invalidates, then drops the page references it held back",
  apply(state, { ctx: key }, ctx) {
    if (state.iotlb === undefined) return fail('EOPNOTSUPP');
    if (typeof key !== 'string' || !cachedContexts(state).includes(key)) return fail('ENOENT');
    const held = state.iotlb.deferred.length;
    // Wait for the invalidated DMAs before the held-back puts are performed (flushAndWait's order).
    flushAndWait(state);
    if (state.iotlb.deferred.length < held) ctx.note('flush-released-held-back-page');
    return OK;
  },
});
