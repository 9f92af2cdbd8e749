/**
 * iotlb-flushed-before-free — no IOTLB caches a translation to a frame that has been freed or handed
 * out again since: the put_page that frees a frame comes only after the flush that drops its last
 * cached translation. Freeing first leaves a device (or the GPU) a path into the free pool and then
 * into whoever gets the frame next — the ordering bug that deferred and batched flushes invite (seed
 * 000: "you have to flush the TLBs … unless … we flush the older ones lazily"; Linux's IOVA flush
 * queue keeps freed pages on a freelist until the flush for this reason).
 * Check it alone: `npx shadowcheck fuzz --invariant iotlb-flushed-before-free`
 */
import { frameText, hex } from '../../src/model/core/words.ts';
import type { IotlbHop } from '../../src/model/core/path.ts';
import type { FrameFacts, StateInvariant, Witness } from '../types.ts';
import { frameFacts } from '../witness.ts';

/** A cached translation whose frame is free, or at another generation than when it was cached. */
export interface IotlbFreedWitness extends Witness {
  reason: 'cached-translation-to-freed-frame';
  mfn: number;
  holder: IotlbHop;
  expected: number;
  actual: number;
  frame: FrameFacts;
}

export const iotlbFlushedBeforeFree: StateInvariant<IotlbFreedWitness> = {
  kind: 'state',
  id: 'iotlb-flushed-before-free',
  title: 'no IOTLB caches a translation to a frame freed or reallocated since',
  category: 'security',
  rationale:
    'A device keeps using a cached translation until the IOTLB is flushed; if the frame was freed first, its DMA lands in the free pool and then in the next owner\'s memory.',
  source: 'seed 000: Tim Deegan 2014-12-11 (TLB flushes, lazily flushed windows); Linux intel-iommu flush queue',
  check(d) {
    const t = d.state.iotlb;
    if (t === undefined) return [];
    const out: IotlbFreedWitness[] = [];
    for (const ctx of Object.keys(t.contexts).sort()) {
      for (const e of t.contexts[ctx]) {
        const f = d.state.frames[e.mfn];
        if (f.owner.kind !== 'free' && f.gen === e.gen) continue;
        out.push({ reason: 'cached-translation-to-freed-frame', mfn: e.mfn, holder: { via: 'iotlb', ctx, bfn: e.bfn }, expected: e.gen, actual: f.gen, frame: frameFacts(f) });
      }
    }
    return out;
  },
  describe: (w) =>
    `${w.holder.ctx} IOTLB still caches bfn ${hex(w.holder.bfn)} → mfn ${hex(w.mfn)} (gen ${w.expected}) but ${frameText(w.mfn, w.frame)} was ${w.frame.owner.kind === 'free' ? 'freed' : 'reallocated'} before the flush`,
};
