/**
 * Words for model facts: principals, owners, hops and paths. Finding a witness and saying it in words
 * are separate (Elle's explain/render split); invariants and reports both use these.
 */
import type { Hop, Principal } from './path.ts';
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

/** One hop in words. Subsystems' hops that have no special wording are shown field by field. */
export function hopText(h: Hop): string {
  switch (h.via) {
    case 'p2m':
      return `dom${h.dom} p2m gfn ${hex(h.gfn as number)}${h.type ? ` (${h.type})` : ''}`;
    case 'iommu':
      if (h.shared) return `dom${h.dom} IOMMU (shared EPT) bfn ${hex(h.bfn as number)}`;
      return h.identity ? `dom${h.dom} IOMMU 1:1 bfn ${hex(h.bfn as number)}` : `dom${h.dom} IOMMU bfn ${hex(h.bfn as number)}`;
    case 'virtioMap':
      return `Map handle ${h.handle}`;
    case 'hypercall':
      return `dom${h.dom}'s hypercall in flight (slot ${h.slot}) using gfn ${hex(h.gfn as number)}`;
    case 'dmaInFlight':
      return `dom${h.dom} ${h.device} DMA in flight to bfn ${hex(h.bfn as number)}`;
    case 'ioreqFaultRange':
      return `IOREQ fault range of dom${h.dom} at gfn ${hex(h.gfn as number)}`;
    case 'dmaTable':
      return `DMA table of dom${h.client} slot ${h.slot}${h.gfn !== undefined ? ` (gfn ${hex(h.gfn as number)} → ${h.addrKind} ${hex(h.addr as number)})` : ''}`;
    case 'grant':
      return `grant ref ${h.ref} of dom${h.granter}`;
    case 'foreign':
      return `foreign map of dom${h.dom} gfn ${hex(h.gfn as number)}`;
    case 'shadowGgtt':
      return `shadow GGTT entry ${h.index}${translationText(h)}`;
    case 'shadowPpgtt':
      return `shadow PPGTT ${h.ppgtt} of dom${h.owner} gma ${hex(h.gma as number)}${translationText(h)}`;
    case 'gpuCommand':
      return `dom${h.client}'s command ${h.slot} (${h.space} gma ${hex(h.gma as number)})`;
    case 'aperture':
      return `dom${h.dom} aperture at gma ${hex(h.gma as number)}`;
    case 'dma':
      return h.inflight ? `${h.device} DMA to bfn ${hex(h.bfn as number)} programmed by dom${h.by} (in flight)` : `${h.device} DMA to bfn ${hex(h.bfn as number)}`;
    case 'context':
      return h.of === 'quarantine' ? `quarantine context (RMRR r${h.rmrr} 1:1)` : `dom${h.dom} IOMMU context (${h.mode})`;
    default: {
      const rest = Object.entries(h)
        .filter(([k]) => k !== 'via')
        .map(([k, v]) => `${k} ${typeof v === 'number' ? hex(v) : String(v)}`)
        .join(', ');
      return rest ? `${h.via} (${rest})` : h.via;
    }
  }
}

/** " (dom1 gfn 0x2 → mfn 0x9)" for a shadow entry's hop: what it translates, to which address. */
function translationText(h: Hop): string {
  if (h.gfn === undefined) return '';
  const whose = h.client !== undefined ? `dom${h.client} ` : '';
  const to = h.addrKind !== undefined ? ` → ${h.addrKind} ${hex(h.addr as number)}` : '';
  return ` (${whose}gfn ${hex(h.gfn as number)}${to})`;
}

/** "mfn 0x12 (owner dom5, gen 4)". */
export function frameText(mfn: number, f: Pick<Frame, 'owner' | 'gen'>): string {
  return `mfn ${hex(mfn)} (owner ${ownerText(f.owner)}, gen ${f.gen})`;
}

/** A whole reach path: principal → hops → frame. */
export function pathText(principal: Principal, path: readonly Hop[], mfn: number, frame?: Pick<Frame, 'owner' | 'gen'>): string {
  const end = frame ? frameText(mfn, frame) : `mfn ${hex(mfn)}`;
  return [principalText(principal), ...path.map(hopText), end].join(' → ');
}
