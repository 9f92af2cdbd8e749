/**
 * Words for model facts: principals, owners, frames and the core's hops. Finding a witness and saying
 * it in words are separate (Elle's explain/render split); invariants and reports both use these. A
 * whole path is put in words by src/model/words.ts, over every slice's hop words.
 */
import type { CoreHops, Hop, Principal } from './path.ts';
import type { HopWords } from './slice.ts';
import type { Frame, FrameOwner } from './state.ts';

/** Hex for frame numbers, as in Xen's logs. */
export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** "dom3", "Xen", "free", "reserved (RMRR)". */
export function ownerText(owner: FrameOwner): string {
  if (owner.kind === 'dom') return `dom${owner.dom}`;
  if (owner.kind === 'reserved') return 'reserved (RMRR)';
  if (owner.kind === 'io') return 'dom_io';
  return owner.kind === 'xen' ? 'Xen' : 'free';
}

/** "dom0 GPU (running dom1)", "dom2 CPU", "dom1 device nic0". */
export function principalText(p: Principal): string {
  if (p.kind === 'gpu') return `dom${p.dom} GPU${p.client !== undefined ? ` (running dom${p.client})` : ''}`;
  if (p.kind === 'device') return `dom${p.dom} device ${p.device ?? '?'}`;
  return `dom${p.dom} CPU`;
}

/** A hop with no wording of its own, field by field: "memslot (base 0x0, gfn 0x4)". */
export function fieldsText(h: Hop): string {
  const rest = Object.entries(h)
    .filter(([k]) => k !== 'via')
    .map(([k, v]) => `${k} ${typeof v === 'number' ? hex(v) : String(v)}`)
    .join(', ');
  return rest ? `${h.via} (${rest})` : h.via;
}

/** Words for the core's hops. */
export const coreHopWords: HopWords<CoreHops> = {
  p2m: (h) => `dom${h.dom} p2m gfn ${hex(h.gfn)}${h.type ? ` (${h.type})` : ''}`,
  iommu: (h) => {
    if (h.shared) return `dom${h.dom} IOMMU (shared EPT) bfn ${hex(h.bfn)}`;
    return h.identity ? `dom${h.dom} IOMMU 1:1 bfn ${hex(h.bfn)}` : `dom${h.dom} IOMMU bfn ${hex(h.bfn)}`;
  },
  virtioMap: (h) => `Map handle ${h.handle}`,
  dmaTable: (h) =>
    `DMA table of dom${h.client} slot ${h.slot}${h.gfn !== undefined ? ` (gfn ${hex(h.gfn)} → ${h.addrKind} ${hex(h.addr!)})` : ''}`,
  grant: (h) => `grant ref ${h.ref} of dom${h.granter}`,
  iotlb: (h) => (h.deferredPut ? 'put_page held back until the IOTLB flush' : `${h.ctx} IOTLB cached bfn ${hex(h.bfn)} (not yet flushed)`),
  foreign: (h) => `foreign map of dom${h.dom} gfn ${hex(h.gfn)}`,
};

/** "mfn 0x12 (owner dom5, gen 4)". */
export function frameText(mfn: number, f: Pick<Frame, 'owner' | 'gen'>): string {
  return `mfn ${hex(mfn)} (owner ${ownerText(f.owner)}, gen ${f.gen})`;
}
