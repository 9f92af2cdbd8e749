/**
 * mapped-pages-never-ram-rw — a frame provided by Map never appears as RAM (`ram_rw`/`ram_ro`) in the
 * p2m it was Mapped into, is never mapped through a grant of that domain, foreign-mapped from it, or
 * used as its hypercall buffer. (A grant entry names a GFN and the frame is looked up when the grant is
 * mapped, so an old grant of a GFN a Map later lands on is harmless while mapping it is refused: what
 * must never exist is a grant mapping of the Mapped frame.) "These pages must never have p2m type p2m_ram_rw, as that would allow them to be
 * foreign-mapped or used in grant table operations"; "the frontend is not allowed to use these buffers
 * in hypercalls or grant them to other domains" (seed 004, Demi Marie Obenour 2025-02-02 and 02-06).
 * Check it alone: `npx shadowcheck fuzz --design virtio-gpu-primitives --invariant mapped-pages-never-ram-rw`
 */
import { hex } from '../../src/model/core/words.ts';
import { hopText } from '../../src/model/words.ts';
import type { State } from '../../src/model/core/state.ts';
import type { VirtioMap } from '../../src/model/virtio/state.ts';
import type { HolderWitness, StateInvariant } from '../types.ts';

/** A Mapped frame that is RAM-typed where it was Mapped, granted or foreign-mapped onwards, or a hypercall buffer. */
export type MappedPageWitness = { dom: number; mfn: number } & (
  | HolderWitness<'virtioMap', 'map-entry-ram-typed'>
  | HolderWitness<'p2m' | 'iommu', 'mapped-page-granted'>
  | HolderWitness<'p2m', 'mapped-page-foreign-mapped'>
  | HolderWitness<'hypercall', 'mapped-page-hypercall-buffer'>
);

/** The findings for one live Map. */
function checkMap(state: State, handle: number, m: VirtioMap, out: MappedPageWitness[]): void {
  const d = state.domains[m.dom];
  const e = d.p2m[m.gfn];
  const installed = e !== null && e.map?.handle === handle;
  const at = { via: 'virtioMap', handle, dom: m.dom, gfn: m.gfn } as const;
  if (installed && (e.type === 'ram_rw' || e.type === 'ram_ro')) {
    out.push({ reason: 'map-entry-ram-typed', dom: m.dom, mfn: m.mfn, holder: at, expected: 'mmio_direct or mmio_dm', actual: e.type });
  }
  // Each use is matched by the Mapped GFN, not only the frame: the frame may also sit at another GFN of
  // the same domain (a stolen page in the backend's own p2m), whose sharing is that domain's business.
  const grantOfMappedGfn = (granter: number, ref: number) => granter === m.dom && d.grants[ref]?.gfn === m.gfn;
  for (const other of state.domains) {
    other.p2m.forEach((x, gfn) => {
      if (x === null || x.mfn !== m.mfn) return;
      const holder = { via: 'p2m', dom: other.id, gfn, type: x.type } as const;
      if (x.foreign?.dom === m.dom && x.foreign.gfn === m.gfn) out.push({ reason: 'mapped-page-foreign-mapped', dom: m.dom, mfn: m.mfn, holder, actual: other.id });
      if (x.grant !== undefined && grantOfMappedGfn(x.grant.granter, x.grant.ref)) out.push({ reason: 'mapped-page-granted', dom: m.dom, mfn: m.mfn, holder, actual: other.id });
    });
    other.iommu.forEach((x, bfn) => {
      if (x !== null && x.mfn === m.mfn && x.source.kind === 'grant' && grantOfMappedGfn(x.source.granter, x.source.ref)) {
        out.push({ reason: 'mapped-page-granted', dom: m.dom, mfn: m.mfn, holder: { via: 'iommu', dom: other.id, bfn }, actual: other.id });
      }
    });
  }
  state.virtio!.hypercalls.forEach((h, slot) => {
    if (h.dom === m.dom && h.gfn === m.gfn && h.mfn === m.mfn) out.push({ reason: 'mapped-page-hypercall-buffer', dom: m.dom, mfn: m.mfn, holder: { via: 'hypercall', dom: h.dom, slot, gfn: h.gfn } });
  });
}

export const mappedPagesNeverRamRw: StateInvariant<MappedPageWitness> = {
  kind: 'state',
  id: 'mapped-pages-never-ram-rw',
  title: 'Mapped frames are never RAM-typed, granted, foreign-mapped or hypercall buffers in the domain they were Mapped into',
  category: 'security',
  rationale:
    'A Mapped page the frontend can treat as its own RAM escapes Revoke: it can be granted or foreign-mapped to a third domain, or pinned by a hypercall, where the backend cannot take it back.',
  source: 'seed 004: Demi Marie Obenour 2025-02-02 (Map) and 2025-02-06 (never p2m_ram_rw)',
  check(d) {
    const v = d.state.virtio;
    if (v === undefined) return [];
    const out: MappedPageWitness[] = [];
    v.maps.forEach((m, handle) => {
      if (m !== null) checkMap(d.state, handle, m, out);
    });
    return out;
  },
  describe(w) {
    const page = `mfn ${hex(w.mfn)} (Mapped into dom${w.dom})`;
    switch (w.reason) {
      case 'map-entry-ram-typed':
        return `${page} is ${String(w.actual)} at gfn ${hex(w.holder.gfn!)} of dom${w.dom}'s p2m: the frontend may treat it as its own RAM`;
      case 'mapped-page-granted':
        return `${page} is mapped by dom${String(w.actual)} through a grant of dom${w.dom} (${hopText(w.holder)})`;
      case 'mapped-page-foreign-mapped':
        return `${page} is foreign-mapped by dom${String(w.actual)} at its gfn ${hex(w.holder.gfn)}`;
      default:
        return `${page} is the buffer of an in-flight hypercall of dom${w.dom}`;
    }
  },
};
