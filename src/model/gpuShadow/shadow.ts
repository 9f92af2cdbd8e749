/**
 * Queries over the mediated GPU's shadow structures (the state is in state.ts: GpuShadowState). Seed
 * 000, Kevin Tian 2014-12-10 01:48: "a global GPU page table is partitioned among VMs. a shared shadow
 * global page table is maintained [...] multiple per-process GPU page tables are created by each VM,
 * and multiple shadow per-process GPU page tables are created correspondingly. shadow page table is
 * switched when doing GPU context switch".
 */
import { ppgttIndices } from './sizes.ts';
import type { State } from '../core/state.ts';
import type { MirroredPage, ShadowEntry, ShadowPpgtt, Vgpu } from './state.ts';

/** A VM's vGPU, if it has one. */
export function vgpuOf(state: State, dom: number): Vgpu | undefined {
  return state.gpu.shadow?.vgpus[dom];
}

/*
 * vGPUs are keyed by domain id, so the functions below walk domain ids in order rather than enumerate
 * the record's keys (the same ascending order, without a key array and string-to-number conversions):
 * they run when actions are resolved and after every step.
 */

/** Client VMs with a vGPU that are running: who issues guest GPU operations (in id order). */
export function liveVgpuClients(state: State): number[] {
  const out: number[] = [];
  const vgpus = state.gpu.shadow?.vgpus;
  if (vgpus === undefined) return out;
  for (let dom = 0; dom < state.domains.length; dom++) if (vgpus[dom] !== undefined && state.domains[dom].state === 'alive') out.push(dom);
  return out;
}

/** Whether global-GTT index `index` lies in the vGPU's slice. */
export function inSlice(vgpu: Vgpu, index: number): boolean {
  return index >= vgpu.ggttBase && index < vgpu.ggttBase + vgpu.vggtt.length;
}

/** The VM whose GGTT slice holds `index`, or undefined (an index no VM owns). */
export function sliceOwner(state: State, index: number): number | undefined {
  const vgpus = state.gpu.shadow?.vgpus;
  if (vgpus === undefined) return undefined;
  for (let dom = 0; dom < state.domains.length; dom++) {
    const vgpu = vgpus[dom];
    if (vgpu !== undefined && inSlice(vgpu, index)) return dom;
  }
  return undefined;
}

/** The shadow leaf a PPGTT maps graphics memory address `gma` to, or null (not present / scratch). */
export function ppgttLeaf(p: ShadowPpgtt, gma: number): ShadowEntry | null {
  const { pd, pt } = ppgttIndices(gma);
  return p.pts[pd]?.entries[pt] ?? null;
}

/** Indices of a VM's live PPGTTs. */
export function livePpgtts(vgpu: Vgpu): number[] {
  const out: number[] = [];
  for (let i = 0; i < vgpu.ppgtts.length; i++) if (vgpu.ppgtts[i] !== null) out.push(i);
  return out;
}

/**
 * Every guest page a live shadow mirrors, with where: the root of PPGTT `ppgtt` (`pd` -1) or the
 * page table under its PD entry `pd`. Each mirror is one page-track tracker the device model holds.
 */
export function forEachMirror(
  state: State,
  fn: (client: number, page: MirroredPage, ppgtt: number, pd: number) => void,
): void {
  const vgpus = state.gpu.shadow?.vgpus;
  if (vgpus === undefined) return;
  for (let client = 0; client < state.domains.length; client++) {
    const ppgtts = vgpus[client]?.ppgtts;
    if (ppgtts === undefined) continue;
    for (let i = 0; i < ppgtts.length; i++) {
      const p = ppgtts[i];
      if (p === null) continue;
      fn(client, p.root, i, -1);
      for (let pd = 0; pd < p.pts.length; pd++) {
        const pt = p.pts[pd];
        if (pt !== null) fn(client, pt, i, pd);
      }
    }
  }
}

/** Whether one PPGTT's shadow mirrors the guest page at `gfn` (as its root or one of its page tables). */
function ppgttMirrors(p: ShadowPpgtt, gfn: number): boolean {
  if (p.root.gfn === gfn) return true;
  for (let pd = 0; pd < p.pts.length; pd++) if (p.pts[pd]?.gfn === gfn) return true;
  return false;
}

/** Whether a live shadow of `dom` mirrors its page at `gfn` (as a root or a page table). */
export function isMirrored(state: State, dom: number, gfn: number): boolean {
  // Only dom's own vGPU mirrors dom's pages: look there alone (forEachMirror would walk every VM's).
  const ppgtts = state.gpu.shadow?.vgpus[dom]?.ppgtts;
  if (ppgtts === undefined) return false;
  for (let i = 0; i < ppgtts.length; i++) {
    const p = ppgtts[i];
    if (p !== null && ppgttMirrors(p, gfn)) return true;
  }
  return false;
}

/** The GFNs a live shadow of `dom` mirrors, each once, in forEachMirror's order. */
export function mirroredGfns(state: State, dom: number): number[] {
  const out: number[] = [];
  const ppgtts = state.gpu.shadow?.vgpus[dom]?.ppgtts;
  if (ppgtts === undefined) return out;
  for (let i = 0; i < ppgtts.length; i++) {
    const p = ppgtts[i];
    if (p === null) continue;
    if (!out.includes(p.root.gfn)) out.push(p.root.gfn);
    for (let pd = 0; pd < p.pts.length; pd++) {
      const pt = p.pts[pd];
      if (pt !== null && !out.includes(pt.gfn)) out.push(pt.gfn);
    }
  }
  return out;
}

/** Whether a mirrored page was read from frame `mfn` as it is now. */
function readsFrame(state: State, page: MirroredPage, mfn: number): boolean {
  return page.mfn === mfn && state.frames[mfn].gen === page.gen;
}

/** Whether a live shadow mirrors frame `mfn` as it is now (the same allocation it read). */
export function mirrorsFrame(state: State, mfn: number): boolean {
  let found = false;
  forEachMirror(state, (_client, page) => {
    if (!found && readsFrame(state, page, mfn)) found = true;
  });
  return found;
}

/**
 * Every present shadow entry: the GGTT's (`ppgtt` -1, `index` the global GTT index) and each PPGTT
 * leaf (`index` its graphics memory address), with the VM whose slice or PPGTT holds it.
 */
export function forEachShadowEntry(
  state: State,
  fn: (e: ShadowEntry, owner: number, ppgtt: number, index: number) => void,
): void {
  const sh = state.gpu.shadow;
  if (sh === undefined) return;
  for (let i = 0; i < sh.ggtt.length; i++) {
    const e = sh.ggtt[i];
    if (e !== null) fn(e, sliceOwner(state, i) ?? -1, -1, i);
  }
  for (let client = 0; client < state.domains.length; client++) {
    const ppgtts = sh.vgpus[client]?.ppgtts;
    if (ppgtts === undefined) continue;
    for (let p = 0; p < ppgtts.length; p++) {
      const pp = ppgtts[p];
      if (pp === null) continue;
      for (let pd = 0; pd < pp.pts.length; pd++) {
        const pt = pp.pts[pd];
        if (pt === null) continue;
        for (let j = 0; j < pt.entries.length; j++) {
          const e = pt.entries[j];
          if (e !== null) fn(e, client, p, pd * pt.entries.length + j);
        }
      }
    }
  }
}

/** Whether a shadow entry is present and translates `dom`'s `gfn`. */
function translates(e: ShadowEntry | null, dom: number, gfn: number): boolean {
  return e !== null && e.client === dom && e.gfn === gfn;
}

/** Whether a present shadow entry translates `dom`'s `gfn`. */
export function namesGfn(state: State, dom: number, gfn: number): boolean {
  const sh = state.gpu.shadow;
  if (sh === undefined) return false;
  for (let i = 0; i < sh.ggtt.length; i++) if (translates(sh.ggtt[i], dom, gfn)) return true;
  // Any VM's PPGTT may hold a translation of dom's GFN (the entry's client says whose), so look in all.
  for (let client = 0; client < state.domains.length; client++) {
    const ppgtts = sh.vgpus[client]?.ppgtts;
    if (ppgtts === undefined) continue;
    for (let p = 0; p < ppgtts.length; p++) {
      const pts = ppgtts[p]?.pts;
      if (pts === undefined) continue;
      for (let pd = 0; pd < pts.length; pd++) {
        const entries = pts[pd]?.entries;
        if (entries === undefined) continue;
        for (let j = 0; j < entries.length; j++) if (translates(entries[j], dom, gfn)) return true;
      }
    }
  }
  return false;
}

/** Number of live trackers (mirrors) per (VM, GFN), keyed by `trackerKey`. */
export function countTrackers(state: State): Map<number, number> {
  const out = new Map<number, number>();
  const t = liveTrackers(state);
  for (let i = 0; i < t.keys.length; i++) out.set(t.keys[i], t.counts[i]);
  return out;
}

/**
 * countTrackers as two parallel arrays, in the order each (VM, GFN) is first mirrored (forEachMirror's):
 * track-counts-match runs after every step, and the trackers are a handful — scanning a short array is
 * cheaper than building a Map. For the same reason it walks the mirrors itself rather than through
 * forEachMirror: the callback's closure showed in profiles.
 */
export function liveTrackers(state: State): { keys: number[]; counts: number[] } {
  const keys: number[] = [];
  const counts: number[] = [];
  const vgpus = state.gpu.shadow?.vgpus;
  if (vgpus === undefined) return { keys, counts };
  for (let client = 0; client < state.domains.length; client++) {
    const ppgtts = vgpus[client]?.ppgtts;
    if (ppgtts === undefined) continue;
    for (let i = 0; i < ppgtts.length; i++) {
      const p = ppgtts[i];
      if (p === null) continue;
      countTracker(keys, counts, trackerKey(client, p.root.gfn));
      for (let pd = 0; pd < p.pts.length; pd++) {
        const pt = p.pts[pd];
        if (pt !== null) countTracker(keys, counts, trackerKey(client, pt.gfn));
      }
    }
  }
  return { keys, counts };
}

/** One more tracker of key `k`. */
function countTracker(keys: number[], counts: number[], k: number): void {
  const at = keys.indexOf(k);
  if (at < 0) {
    keys.push(k);
    counts.push(1);
  } else counts[at] += 1;
}

/** A numeric key for (VM, GFN). */
export function trackerKey(dom: number, gfn: number): number {
  return dom * 65536 + gfn;
}
