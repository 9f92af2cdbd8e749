/**
 * What the GPU reaches through the XenGT device model's flat DMA tables — the degenerate shadow GTT
 * the core designs use — and the references those tables hold. The real GGTT/PPGTT shadows are the
 * GPU-shadowing slice's own sources (gpuShadow/reach.ts); their worlds never fill a flat table (their
 * designs have no shadowSet), so listing the core's sources first keeps every fact's place.
 */
import { translateBfn } from './iommu.ts';
import type { Hop, ReachEntry, Ref } from './path.ts';
import type { DmaTableEntry, State } from './state.ts';

/**
 * Call `fn` for every flat DMA table entry whose address the backend's IOMMU translates, with that
 * translation. Reach and refs both walk exactly these entries — an entry the IOMMU does not translate
 * neither reaches nor holds a frame — so the walk lives here once, in table order (client, then slot),
 * which is the order the facts have always been listed in.
 */
function forEachTranslatedEntry(
  state: State,
  fn: (e: DmaTableEntry, client: number, slot: number, t: NonNullable<ReturnType<typeof translateBfn>>) => void,
): void {
  const backend = state.gpu.backend;
  // Clients are domain ids: index by id rather than enumerate keys (this runs after every step).
  for (let client = 0; client < state.domains.length; client++) {
    const table = state.gpu.tables[client];
    if (table === undefined) continue;
    for (let slot = 0; slot < table.length; slot++) {
      const e = table[slot];
      if (e === null) continue;
      const t = translateBfn(state, backend, e.addr);
      if (t !== undefined) fn(e, client, slot, t);
    }
  }
}

/** Add what the GPU can reach through every client's flat DMA table (then the backend's IOMMU). */
export function dmaTableReach(state: State, out: ReachEntry[]): void {
  const backend = state.gpu.backend;
  forEachTranslatedEntry(state, (e, client, slot, t) => {
    out.push({
      principal: { kind: 'gpu', dom: backend, client },
      mfn: t.mfn,
      write: true,
      path: [{ via: 'dmaTable', backend, client, slot, gfn: e.gfn, addr: e.addr, addrKind: e.addrKind }, ...t.hops],
    });
  });
}

/** Add the references the flat DMA tables hold: each entry (uncounted), at the generation its address named when set. */
export function dmaTableRefs(state: State, out: Ref[]): void {
  const backend = state.gpu.backend;
  forEachTranslatedEntry(state, (e, client, slot, t) => {
    out.push({ mfn: t.mfn, gen: e.gen, counted: false, holder: { via: 'dmaTable', backend, client, slot } });
  });
}
