/**
 * Map and Revoke (seed 004, Demi Marie Obenour 2025-02-02 and her replies to Roger Pau Monné
 * 2025-02-06). Map puts a backend buffer — its RAM or a PCIe BAR page — into the frontend with an MMIO
 * p2m type, checked against the backend's permissions only; an onward Map lets the frontend re-Map what
 * it received. Revoke is one hypercall that takes every access away: the p2m entries (and so the
 * shared-EPT IOMMU), the onward Maps when Revoke is transitive, and DMAs in flight (the IOTLB flush
 * waits for them); it arms the IOREQ server's fault range set, and it never fails on a live Map.
 */
import { emptyGfns, isAlive, isTargetOf, pickFrom } from '../../core/lookup.ts';
import type { State } from '../../core/state.ts';
import { descendants, flushAndWait, mapAt, mayProvide } from '../maps.ts';
import { directHandles, drainDma, emptySlot, installMap, mapType, removeMapEntry, resolveDirectMap } from './mapping.ts';
import { defineOp, fail, OK, okValue } from '../../core/op.ts';
import { virtioConfig } from '../knobs.ts';

/** Frames a backend might offer as buffers: every BAR frame (permitted or not) and its own RAM. */
export function candidateBuffers(state: State, backend: number): number[] {
  const bars: number[] = [];
  const ram: number[] = [];
  state.frames.forEach((f, mfn) => {
    if (f.kind === 'mmio') bars.push(mfn);
    else if (f.owner.kind === 'dom' && f.owner.dom === backend) ram.push(mfn);
  });
  return [...bars, ...ram];
}

/** GFNs of a domain holding an entry a Map installed. */
export function mappedGfns(state: State, dom: number): number[] {
  const out: number[] = [];
  state.domains[dom].p2m.forEach((e, gfn) => {
    if (e !== null && e.map !== undefined) out.push(gfn);
  });
  return out;
}

/** Map: the backend puts buffer frame `mfn` at the frontend's `gfn`. Returns the Map's handle. */
export const mapBuffer = defineOp({
  name: 'mapBuffer',
  actor: 'backend',
  weight: 4,
  doc: "backend Maps its buffer mfn (RAM or BAR) at dom's gfn with the design's MMIO p2m type; checked against the backend's iomem_caps",
  gen: { dom: { kind: 'dom' }, mfn: { kind: 'pick' }, gfn: { kind: 'pick' } },
  resolve(state, raw) {
    const v = state.virtio;
    if (v === undefined || !isAlive(state, v.backend)) return null;
    // Mostly the frontend; another live domain now and then, which the target check refuses.
    const dom = isAlive(state, raw.dom) && raw.dom !== v.backend ? raw.dom : v.frontend;
    if (!isAlive(state, dom)) return null;
    const mfn = pickFrom(candidateBuffers(state, v.backend), raw.mfn);
    const gfn = pickFrom(emptyGfns(state, dom), raw.gfn);
    if (mfn === undefined || gfn === undefined) return null;
    return { backend: v.backend, dom, mfn, gfn };
  },
  enabled: (state, a) => isAlive(state, a.backend),
  apply(state, { backend, dom, mfn, gfn }, ctx) {
    const v = state.virtio;
    if (v === undefined || backend !== v.backend) return fail('EOPNOTSUPP');
    if (!isAlive(state, backend) || !isAlive(state, dom)) return fail('ESRCH');
    if (dom === backend) return fail('EINVAL');
    if (!isTargetOf(state, backend, dom)) return fail('EPERM');
    const f = state.frames[mfn];
    if (f === undefined) return fail('EINVAL');
    if (!mayProvide(state, backend, mfn)) {
      if (f.kind === 'mmio') ctx.note('map-bar-outside-backend-iomem-refused');
      return fail('EPERM');
    }
    if (directHandles(v, backend, mfn).length > 0) return fail('EBUSY');
    if (!emptySlot(state, dom, gfn)) return fail('EEXIST');
    if (f.kind === 'mmio') ctx.note('bar-mapped');
    const handle = installMap(state, v, { provider: backend, parent: -1, mfn, gen: f.gen, dom, gfn, type: mapType(ctx.knobs) });
    return okValue(handle);
  },
});

/** Onward Map: a domain re-Maps a GFN it received by Map into a domain it serves (knob `onwardMap`). */
export const mapOnward = defineOp({
  name: 'mapOnward',
  actor: 'guest',
  weight: 3,
  doc: 'a domain that received a Map re-Maps that gfn into dom (a domain it serves) at dstGfn; only with onwardMap',
  gen: { gfn: { kind: 'pick' }, dstGfn: { kind: 'pick' } },
  resolve(state, raw) {
    const v = state.virtio;
    if (v === undefined) return null;
    const provider = v.frontend;
    if (!isAlive(state, provider)) return null;
    const gfn = pickFrom(mappedGfns(state, provider), raw.gfn);
    const dom = state.domains[provider].targets[0];
    if (gfn === undefined || dom === undefined || !isAlive(state, dom)) return null;
    const dstGfn = pickFrom(emptyGfns(state, dom), raw.dstGfn);
    return dstGfn === undefined ? null : { provider, gfn, dom, dstGfn };
  },
  enabled: (state, a) => isAlive(state, a.provider),
  apply(state, { provider, gfn, dom, dstGfn }, ctx) {
    const v = state.virtio;
    if (v === undefined || !virtioConfig(ctx.knobs).onwardMap) return fail('EOPNOTSUPP');
    if (!isAlive(state, provider) || !isAlive(state, dom)) return fail('ESRCH');
    if (dom === provider) return fail('EINVAL');
    if (!isTargetOf(state, provider, dom)) return fail('EPERM');
    const src = state.domains[provider].p2m[gfn];
    const parent = mapAt(state, provider, gfn);
    if (src === null || src === undefined || parent === undefined) return fail('EINVAL');
    if (!emptySlot(state, dom, dstGfn)) return fail('EEXIST');
    ctx.note('onward-map-made');
    const handle = installMap(state, v, {
      provider,
      parent: parent.handle,
      mfn: src.mfn,
      gen: src.gen,
      dom,
      gfn: dstGfn,
      type: mapType(ctx.knobs),
    });
    return okValue(handle);
  },
});

/** Whether a DMA or hypercall in flight is using one of these Maps' GFNs. */
function inUse(state: State, handles: readonly number[]): boolean {
  const v = state.virtio!;
  const maps = handles.map((h) => v.maps[h]!);
  return (
    v.dmas.some((x) => maps.some((m) => m.dom === x.by && m.gfn === x.bfn)) ||
    v.hypercalls.some((h) => maps.some((m) => m.dom === h.dom && m.gfn === h.gfn))
  );
}

/** Note the risky situations a Revoke of these Maps is in. */
function noteRevokeSituations(state: State, handles: readonly number[], onward: number, note: (s: string) => void): void {
  const v = state.virtio!;
  const maps = handles.map((h) => v.maps[h]!);
  if (onward > 0) note('revoke-with-onward-maps');
  if (v.dmas.some((x) => maps.some((m) => m.dom === x.by && m.gfn === x.bfn))) note('revoke-dma-in-flight-on-range');
  if (v.hypercalls.some((h) => h.dom === v.frontend)) note('revoke-hypercall-in-flight');
  if (v.hypercalls.some((h) => maps.some((m) => m.dom === h.dom && m.gfn === h.gfn))) note('revoke-hypercall-in-flight-on-range');
}

/** Revoke: the backend takes back a buffer it Mapped. Never fails on a live Map of its own. */
export const revoke = defineOp({
  name: 'revoke',
  actor: 'backend',
  weight: 3,
  doc: "backend revokes its Map: p2m (and shared IOMMU) entries, onward Maps if transitive, in-flight DMA; arms IOREQ_TYPE_FAULT",
  gen: { map: { kind: 'pick' } },
  resolve: (state, raw) => resolveDirectMap(state, raw),
  enabled: (state, a) => isAlive(state, a.backend),
  apply(state, { backend, handle }, ctx) {
    const v = state.virtio;
    if (v === undefined) return fail('EOPNOTSUPP');
    if (!isAlive(state, backend)) return fail('ESRCH');
    const m = v.maps[handle];
    if (m === null || m === undefined) return fail('ENOENT');
    if (m.provider !== backend || m.parent >= 0) return fail('EPERM');
    const onward = descendants(v, handle);
    const c = virtioConfig(ctx.knobs);
    const victims = !c.transitiveRevoke ? [handle] : [handle, ...onward];
    // The alternative Demi rules out: a Revoke that waits for (here: refuses while) users in flight.
    if (c.revoke === 'wait-for-users' && inUse(state, victims)) {
      ctx.note('revoke-refused-in-use');
      return fail('EBUSY');
    }
    noteRevokeSituations(state, victims, onward.length, ctx.note);
    for (const h of victims) {
      const vm = v.maps[h]!;
      removeMapEntry(state, h, vm);
      drainDma(v, vm.dom, vm.gfn);
      if (vm.dom === v.frontend && !v.faultRanges.includes(vm.gfn)) v.faultRanges.push(vm.gfn);
      v.maps[h] = null;
    }
    // Revoke is prompt even when other unmaps are flushed lazily: its flush completes before it returns.
    if (state.iotlb !== undefined) flushAndWait(state);
    // A non-transitive Revoke leaves the onward Maps behind, now hanging from nothing.
    for (const h of onward) if (v.maps[h] !== null && v.maps[h]!.parent >= 0 && v.maps[v.maps[h]!.parent] === null) v.maps[h]!.parent = -1;
    return OK;
  },
});
