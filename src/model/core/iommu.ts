/**
 * The backend's IOMMU as the GPU's DMA sees it: every address the GPU puts on the bus — from the flat
 * DMA table or a shadow GTT/PPGTT entry — goes through here before it reaches a frame.
 */
import type { Hop } from './path.ts';
import type { Frame, State } from './state.ts';

/**
 * Whether a PV dom0's identity context leaves this frame out: Xen's own frames, when the world follows
 * Kevin Tian's reading (seed 000, 2014-12-12 06:29: "dom0 can't DMA into Xen's data structure (this is
 * ensured even for default 1:1 identity mapping)"; Xen's remove_xen_ranges). The model's default is
 * Tim Deegan's reading — only IOMMU tables of a driver domain keep the GPU out of Xen — so the identity
 * covers every RAM frame unless the world says otherwise (`dom0IdentityCoversXen`, adversary.ts).
 */
function hiddenFromIdentity(state: State, f: Frame): boolean {
  return f.owner.kind === 'xen' && state.adversary?.identityCoversXen === false;
}

/**
 * Translate a bus address through a domain's IOMMU context: the identity over RAM for a PV dom0,
 * its own BFN table otherwise. Returns the MFN and the hop, or undefined when the IOMMU would fault.
 */
export function translateBfn(state: State, dom: number, bfn: number): { mfn: number; gen?: number; hop: Hop } | undefined {
  const d = state.domains[dom];
  if (d.kind === 'pv-dom0') {
    const f = state.frames[bfn];
    if (f === undefined || f.kind !== 'ram' || hiddenFromIdentity(state, f)) return undefined;
    return { mfn: bfn, hop: { via: 'iommu', dom, bfn, identity: true } };
  }
  const e = d.iommu[bfn];
  if (e === null || e === undefined) return undefined;
  return { mfn: e.mfn, gen: e.gen, hop: { via: 'iommu', dom, bfn, identity: false } };
}

/** The MFN a bus address reaches through a domain's IOMMU context, without building the hop (refs). */
export function busFrame(state: State, dom: number, bfn: number): number | undefined {
  const d = state.domains[dom];
  if (d.kind === 'pv-dom0') {
    const f = state.frames[bfn];
    return f === undefined || f.kind !== 'ram' || hiddenFromIdentity(state, f) ? undefined : bfn;
  }
  const e = d.iommu[bfn];
  return e === null || e === undefined ? undefined : e.mfn;
}
