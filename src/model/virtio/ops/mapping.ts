/**
 * The bookkeeping Map, Revoke, Steal and Return share (seed 004): installing a Map's p2m entry and
 * record, removing it, and the knob that says which p2m type a Map gets. A Map of a RAM buffer takes a
 * page reference (get_page) like any mapping of RAM; a Map of a BAR frame cannot — MMIO has no page
 * bookkeeping (Roger, 2025-02-06), so who maps a BAR page is known only from the Map records.
 */
import { getRef, putRef } from '../../core/frames.ts';
import type { DomId, P2mType, State } from '../../core/state.ts';
import type { VirtioGpuState, VirtioMap } from '../state.ts';
import { pickFrom } from '../../core/lookup.ts';
import type { KnobValues } from '../../core/op.ts';
import { virtioConfig, VIRTIO_KNOBS } from '../knobs.ts';

/** The p2m types a Map may be given (the `mapType` knob). */
export const MAP_TYPES: readonly P2mType[] = VIRTIO_KNOBS.mapType.values;

/** The p2m type the design's Map installs. */
export function mapType(knobs: KnobValues): P2mType {
  return virtioConfig(knobs).mapType;
}

/** Whether a GFN is a valid, empty slot of a domain's p2m. */
export function emptySlot(state: State, dom: DomId, gfn: number): boolean {
  const p2m = state.domains[dom].p2m;
  return Number.isInteger(gfn) && gfn >= 0 && gfn < p2m.length && p2m[gfn] === null;
}

/** Record a Map and install its p2m entry; returns the handle. The recipient's GFN leaves the fault range set. */
export function installMap(state: State, v: VirtioGpuState, m: VirtioMap): number {
  const counted = state.frames[m.mfn].kind === 'ram';
  let handle = v.maps.indexOf(null);
  if (handle < 0) handle = v.maps.length;
  v.maps[handle] = m;
  state.domains[m.dom].p2m[m.gfn] = { mfn: m.mfn, type: m.type, gen: m.gen, counted, map: { handle } };
  if (counted) getRef(state, m.mfn);
  if (m.dom === v.frontend) v.faultRanges = v.faultRanges.filter((g) => g !== m.gfn);
  return handle;
}

/**
 * Remove a Map's p2m entry, if it is still the one the Map installed (a domain's death or a balloon
 * may have removed it already), dropping its page reference. Returns whether an entry was removed.
 */
export function removeMapEntry(state: State, handle: number, m: VirtioMap): boolean {
  const p2m = state.domains[m.dom].p2m;
  const e = p2m[m.gfn];
  if (e === null || e.map?.handle !== handle) return false;
  p2m[m.gfn] = null;
  if (e.counted) putRef(state, e.mfn);
  return true;
}

/** Forget DMAs in flight through (dom, gfn): the IOTLB flush after the p2m change waits for them. */
export function drainDma(v: VirtioGpuState, dom: DomId, gfn: number): void {
  v.dmas = v.dmas.filter((x) => x.by !== dom || x.bfn !== gfn);
}

/** Handles of a backend's live direct Maps (of one frame, when `mfn` is given). */
export function directHandles(v: VirtioGpuState, backend: DomId, mfn?: number): number[] {
  const out: number[] = [];
  v.maps.forEach((m, h) => {
    if (m !== null && m.parent < 0 && m.provider === backend && (mfn === undefined || m.mfn === mfn)) out.push(h);
  });
  return out;
}

/** Resolve a raw `map` pick to one of the backend's live direct Maps (what Revoke and Return act on). */
export function resolveDirectMap(state: State, raw: { map: number }): { backend: number; handle: number } | null {
  const v = state.virtio;
  if (v === undefined) return null;
  const handle = pickFrom(directHandles(v, v.backend), raw.map);
  return handle === undefined ? null : { backend: v.backend, handle };
}
