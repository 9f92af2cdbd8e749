/**
 * Queries over the mediated GPU's shadow structures (the state is in state.ts: GpuShadowState). Seed
 * 000, Kevin Tian 2014-12-10 01:48: "a global GPU page table is partitioned among VMs. a shared shadow
 * global page table is maintained [...] multiple per-process GPU page tables are created by each VM,
 * and multiple shadow per-process GPU page tables are created correspondingly. shadow page table is
 * switched when doing GPU context switch".
 */
import { ppgttIndices } from './gpuShadowSizes.ts';
import type { MirroredPage, ShadowEntry, ShadowPpgtt, State, Vgpu } from './state.ts';

/** A VM's vGPU, if it has one. */
export function vgpuOf(state: State, dom: number): Vgpu | undefined {
  return state.gpu.shadow?.vgpus[dom];
}

/** Client VMs with a vGPU that are running: who issues guest GPU operations (in id order). */
export function liveVgpuClients(state: State): number[] {
  const out: number[] = [];
  const vgpus = state.gpu.shadow?.vgpus;
  if (vgpus === undefined) return out;
  for (const key in vgpus) if (state.domains[Number(key)].state === 'alive') out.push(Number(key));
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
  for (const key in vgpus) if (inSlice(vgpus[key], index)) return Number(key);
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
  for (const key in vgpus) {
    const client = Number(key);
    const ppgtts = vgpus[key].ppgtts;
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

/** Whether a live shadow of `dom` mirrors its page at `gfn` (as a root or a page table). */
export function isMirrored(state: State, dom: number, gfn: number): boolean {
  let found = false;
  forEachMirror(state, (client, page) => {
    if (client === dom && page.gfn === gfn) found = true;
  });
  return found;
}

/** The GFNs a live shadow of `dom` mirrors, each once. */
export function mirroredGfns(state: State, dom: number): number[] {
  const out: number[] = [];
  forEachMirror(state, (client, page) => {
    if (client === dom && !out.includes(page.gfn)) out.push(page.gfn);
  });
  return out;
}

/** Whether a live shadow mirrors frame `mfn` as it is now (the same allocation it read). */
export function mirrorsFrame(state: State, mfn: number): boolean {
  let found = false;
  forEachMirror(state, (_client, page) => {
    if (page.mfn === mfn && state.frames[mfn].gen === page.gen) found = true;
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
  for (const key in sh.vgpus) {
    const client = Number(key);
    const ppgtts = sh.vgpus[key].ppgtts;
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

/** Whether a present shadow entry translates `dom`'s `gfn`. */
export function namesGfn(state: State, dom: number, gfn: number): boolean {
  let found = false;
  forEachShadowEntry(state, (e) => {
    if (e.client === dom && e.gfn === gfn) found = true;
  });
  return found;
}

/** Number of live trackers (mirrors) per (VM, GFN), keyed by `trackerKey`. */
export function countTrackers(state: State): Map<number, number> {
  const out = new Map<number, number>();
  forEachMirror(state, (client, page) => {
    const k = trackerKey(client, page.gfn);
    out.set(k, (out.get(k) ?? 0) + 1);
  });
  return out;
}

/** A numeric key for (VM, GFN). */
export function trackerKey(dom: number, gfn: number): number {
  return dom * 65536 + gfn;
}
