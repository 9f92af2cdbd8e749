/**
 * The seam between the core model and the GPU device model: these two functions are the only way the
 * rest of the model sees what the GPU can reach and which references its tables hold. Two kinds of
 * table sit behind them: the flat DMA table per client (the degenerate shadow GTT the core designs
 * use) and the real GGTT/PPGTT shadows of the GPU-shadowing designs (gpuShadowReach.ts).
 */
import { shadowGpuReach, shadowRefs } from '../gpuShadow/reach.ts';
import { translateBfn } from './iommu.ts';
import type { ReachEntry, Ref } from './path.ts';
import type { State } from './state.ts';

/**
 * Add what the GPU can reach: through every client's flat DMA table (then the backend's IOMMU), and
 * through the shadows of the context it runs.
 */
export function gpuReach(state: State, out: ReachEntry[]): void {
  if (state.gpu.shadow !== undefined) shadowGpuReach(state, out);
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

/**
 * Add the references the GPU's tables hold: each DMA table entry (uncounted) and each shadow entry
 * (counted when it pins), at the generation its address named when set.
 */
export function gpuRefs(state: State, out: Ref[]): void {
  if (state.gpu.shadow !== undefined) shadowRefs(state, out);
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
