/**
 * Translating a device's bus address: through the context's IOTLB first (a cached translation wins
 * over the page tables, which is what makes an unflushed unmap still reachable), then the page walk
 * (context.ts). Every DMA of the model — an assigned PCI device's, a virtio frontend's passthrough
 * device's, the GPU's behind a XenGT backend — is translated here, and only here.
 */
import type { Hop, Principal } from '../path.ts';
import type { State } from '../state.ts';
import type { DmaContext, Walk } from './context.ts';
import { contextKey, walkContext } from './context.ts';
import { iotlbFill, iotlbLookup } from './iotlb.ts';

/** A translation, and whether it came from the IOTLB. */
export interface DmaTranslation extends Walk {
  readonly cached: boolean;
}

/**
 * Translate `bfn` in context `c` as a DMA issued now would: the IOTLB's cached translation if it has
 * one, else the page walk; undefined when the IOMMU faults. Changes nothing (reach and refs call it).
 * The hops are pushed onto `hops` when given.
 */
export function translateDma(state: State, c: DmaContext, bfn: number, hops?: Hop[]): DmaTranslation | undefined {
  const key = contextKey(c);
  const hit = iotlbLookup(state, key, bfn);
  if (hit !== undefined) {
    hops?.push({ via: 'iotlb', ctx: key, bfn }, ...hit.hops);
    return { mfn: hit.mfn, gen: hit.gen, write: hit.write, cached: true };
  }
  const w = walkContext(state, c, bfn, hops);
  return w === undefined ? undefined : { ...w, cached: false };
}

/** Counters a performed DMA reports (OpContext.note). */
export interface DmaNotes {
  note(label: string): void;
}

/**
 * Perform a DMA for `principal` to `bfn` in context `c`: translate it, cache the translation (when the
 * design defers flushes), and count a DMA that went through a cached translation its page table no
 * longer has — the unmap a flush has not completed yet.
 */
export function performDma(state: State, c: DmaContext, bfn: number, principal: Principal, ctx: DmaNotes): DmaTranslation | undefined {
  const t = translateDma(state, c, bfn);
  if (t === undefined) return undefined;
  if (t.cached) {
    const now = walkContext(state, c, bfn);
    if (now === undefined || now.mfn !== t.mfn || now.gen !== t.gen) ctx.note('dma-through-cached-translation-after-unmap');
    return t;
  }
  const hops: Hop[] = [];
  walkContext(state, c, bfn, hops);
  iotlbFill(state, contextKey(c), { bfn, mfn: t.mfn, gen: t.gen, write: t.write, principal, hops });
  return t;
}
