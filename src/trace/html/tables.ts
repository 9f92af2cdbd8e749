/**
 * Which table a hop goes through. A path's hops name entries (gfn 0x2 of dom1's p2m); the viewer
 * draws the table they belong to as one node, so paths through the same structure meet there.
 */
import type { Hop } from '../../model/core/path.ts';

/** The table a hop is an entry of: a stable id and its name in words. */
export interface TableRef {
  id: string;
  label: string;
}

/** Field `k` of a hop as text ('' when absent); hops are open records, so read them generically. */
function field(h: Hop, k: string): string {
  const v = (h as Record<string, unknown>)[k];
  return v === undefined ? '' : String(v);
}

/** The table a hop belongs to. */
export function tableOf(h: Hop): TableRef {
  const f = (k: string) => field(h, k);
  const name = ((): string => {
    switch (h.via) {
      case 'p2m':
        return `dom${f('dom')} p2m`;
      case 'iommu':
        if (f('shared') === 'true') return `dom${f('dom')} IOMMU (shared EPT)`;
        return f('identity') === 'true' ? `dom${f('dom')} IOMMU 1:1` : `dom${f('dom')} IOMMU`;
      case 'virtioMap':
        return 'virtio Maps';
      case 'hypercall':
        return `dom${f('dom')} hypercalls in flight`;
      case 'dmaInFlight':
        return `dom${f('dom')} DMA in flight`;
      case 'ioreqFaultRange':
        return `dom${f('dom')} IOREQ fault ranges`;
      case 'dmaTable':
        return `DMA table of dom${f('client')}`;
      case 'grant':
        return `dom${f('granter')} grant table`;
      case 'foreign':
        return `dom${f('dom')} foreign maps`;
      case 'shadowGgtt':
        return 'shadow GGTT';
      case 'shadowPpgtt':
        return `shadow PPGTT ${f('ppgtt')} (dom${f('owner')})`;
      case 'gpuCommand':
        return `dom${f('client')} GPU commands`;
      case 'aperture':
        return `dom${f('dom')} aperture`;
      case 'dma':
        return `${f('device')} DMA`;
      case 'context':
        return f('of') === 'quarantine' ? 'quarantine context' : `dom${f('dom')} IOMMU context`;
      default: {
        // A slice's own hop: its kind, and the domain it belongs to when it names one.
        const dom = f('dom') || f('owner') || f('client');
        return dom ? `dom${dom} ${h.via}` : h.via;
      }
    }
  })();
  return { id: `T:${name}`, label: name };
}
