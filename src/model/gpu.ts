/**
 * The seam between the core model and the GPU device model. The core keeps a flat DMA table per
 * client (the simplest shadow GTT); the GPU issue replaces the tables with GTT/PPGTT shadows and
 * keeps these two functions as the only way the rest of the model sees what the GPU can reach.
 */
import type { Hop, ReachEntry, Ref } from './path.ts';
import type { State } from './state.ts';

/**
 * Translate a bus address through the backend's IOMMU context: the identity over RAM for a PV dom0,
 * its own BFN table otherwise. Returns the MFN and the hop, or undefined when the IOMMU would fault.
 */
export function translateBfn(state: State, dom: number, bfn: number): { mfn: number; gen?: number; hop: Hop } | undefined {
  const d = state.domains[dom];
  if (d.kind === 'pv-dom0') {
    const f = state.frames[bfn];
    if (f === undefined || f.kind !== 'ram') return undefined;
    return { mfn: bfn, hop: { via: 'iommu', dom, bfn, identity: true } };
  }
  const e = d.iommu[bfn];
  if (e === null || e === undefined) return undefined;
  return { mfn: e.mfn, gen: e.gen, hop: { via: 'iommu', dom, bfn, identity: false } };
}

/** Add what the GPU can reach through every client's DMA table (then the backend's IOMMU). */
export function gpuReach(state: State, out: ReachEntry[]): void {
  const backend = state.gpu.backend;
  // Clients are domain ids: index by id rather than enumerate keys (this runs after every step).
  for (let client = 0; client < state.domains.length; client++) {
    const table = state.gpu.tables[client];
    if (table === undefined) continue;
    for (let slot = 0; slot < table.length; slot++) {
      const e = table[slot];
      if (e === null) continue;
      const t = translateBfn(state, backend, e.addr);
      if (t === undefined) continue;
      out.push({
        principal: { kind: 'gpu', dom: backend, client },
        mfn: t.mfn,
        write: true,
        path: [{ via: 'dmaTable', backend, client, slot, gfn: e.gfn, addr: e.addr, addrKind: e.addrKind }, t.hop],
      });
    }
  }
}

/** Add the references the DMA tables hold: uncounted, each at the generation its address named when set. */
export function gpuRefs(state: State, out: Ref[]): void {
  const backend = state.gpu.backend;
  for (let client = 0; client < state.domains.length; client++) {
    const table = state.gpu.tables[client];
    if (table === undefined) continue;
    for (let slot = 0; slot < table.length; slot++) {
      const e = table[slot];
      if (e === null) continue;
      const t = translateBfn(state, backend, e.addr);
      if (t === undefined) continue;
      out.push({ mfn: t.mfn, gen: e.gen, counted: false, holder: { via: 'dmaTable', backend, client, slot } });
    }
  }
}
