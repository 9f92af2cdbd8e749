/**
 * What the GPU and the aperture reach through the shadow GTTs, and the references shadow entries hold.
 * Kevin Tian's two translation paths (seed 000, 2014-12-10 08:47):
 *  1. CPU access through the partitioned PCI aperture: aperture offset = graphics memory address,
 *     translated by the (shadow) global GTT, then the IOMMU;
 *  2. GPU access through command operands: graphics memory address → shadow GGTT or the loaded shadow
 *     PPGTT → the backend's IOMMU.
 * The GPU running VM X's context reaches X's GGTT slice and every present leaf of the PPGTT loaded for
 * it (its commands may name any of those), plus whatever GGTT entry an accepted command names outside
 * the slice — which the device model's audit exists to refuse.
 */
import { forEachShadowEntry, inSlice } from './gpuShadow.ts';
import { busFrame, translateBfn } from './iommu.ts';
import type { Hop, Principal, ReachEntry, Ref } from './path.ts';
import type { ShadowEntry, State } from './state.ts';

/** The hop through a shadow GGTT entry. */
export function ggttHop(index: number, e: ShadowEntry): Hop {
  return { via: 'shadowGgtt', index, client: e.client, gfn: e.gfn, addrKind: e.addrKind, addr: e.addr };
}

/** The hop through a shadow PPGTT leaf. */
export function ppgttHop(owner: number, ppgtt: number, gma: number, e: ShadowEntry): Hop {
  return { via: 'shadowPpgtt', owner, ppgtt, gma, client: e.client, gfn: e.gfn, addrKind: e.addrKind, addr: e.addr };
}

function push(state: State, out: ReachEntry[], principal: Principal, first: Hop[], e: ShadowEntry): void {
  const t = translateBfn(state, state.gpu.backend, e.addr);
  if (t !== undefined) out.push({ principal, mfn: t.mfn, write: true, path: [...first, t.hop] });
}

/** Add what the GPU reaches while running the loaded context (nothing while idle). */
export function shadowGpuReach(state: State, out: ReachEntry[]): void {
  const sh = state.gpu.shadow!;
  const running = sh.running;
  if (running === null) return;
  const vgpu = sh.vgpus[running.client];
  if (vgpu === undefined) return;
  const principal: Principal = { kind: 'gpu', dom: state.gpu.backend, client: running.client };
  for (let k = 0; k < vgpu.vggtt.length; k++) {
    const index = vgpu.ggttBase + k;
    const e = sh.ggtt[index];
    if (e !== null) push(state, out, principal, [ggttHop(index, e)], e);
  }
  const p = running.ppgtt >= 0 ? vgpu.ppgtts[running.ppgtt] : null;
  if (p !== null && p !== undefined) {
    for (let pd = 0; pd < p.pts.length; pd++) {
      const pt = p.pts[pd];
      if (pt === null) continue;
      for (let j = 0; j < pt.entries.length; j++) {
        const e = pt.entries[j];
        if (e !== null) push(state, out, principal, [ppgttHop(running.client, running.ppgtt, pd * pt.entries.length + j, e)], e);
      }
    }
  }
  for (let slot = 0; slot < vgpu.ring.length; slot++) {
    const c = vgpu.ring[slot];
    if (c.space !== 'ggtt' || inSlice(vgpu, c.gma)) continue;
    const e = sh.ggtt[c.gma];
    if (e === null || e === undefined) continue;
    push(state, out, principal, [{ via: 'gpuCommand', client: running.client, slot, space: c.space, gma: c.gma }, ggttHop(c.gma, e)], e);
  }
}

/** Add what each client VM's CPU reaches through its slice of the PCI aperture (path 1 above). */
export function apertureReach(state: State, out: ReachEntry[]): void {
  const sh = state.gpu.shadow;
  if (sh === undefined) return;
  for (const key in sh.vgpus) {
    const dom = Number(key);
    if (state.domains[dom].state !== 'alive') continue;
    const vgpu = sh.vgpus[key];
    const principal: Principal = { kind: 'cpu', dom };
    for (let k = 0; k < vgpu.vggtt.length; k++) {
      const index = vgpu.ggttBase + k;
      const e = sh.ggtt[index];
      if (e !== null) push(state, out, principal, [{ via: 'aperture', dom, gma: index }, ggttHop(index, e)], e);
    }
  }
}

function pushRef(state: State, out: Ref[], e: ShadowEntry, holder: Hop): void {
  const mfn = busFrame(state, state.gpu.backend, e.addr);
  if (mfn !== undefined) out.push({ mfn, gen: e.gen, counted: e.pinned, holder });
}

/** Add the references shadow entries hold: a pin is counted; a raw MFN or a BFN (whose IOMMU entry counts) is not. */
export function shadowRefs(state: State, out: Ref[]): void {
  const backend = state.gpu.backend;
  forEachShadowEntry(state, (e, owner, ppgtt, index) => {
    const mfn = busFrame(state, backend, e.addr);
    if (mfn === undefined) return;
    const holder: Hop =
      ppgtt < 0
        ? { via: 'shadowGgtt', index, client: e.client, gfn: e.gfn }
        : { via: 'shadowPpgtt', owner, ppgtt, gma: index, client: e.client, gfn: e.gfn };
    out.push({ mfn, gen: e.gen, counted: e.pinned, holder });
  });
}
