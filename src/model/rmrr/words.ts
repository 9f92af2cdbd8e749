/** Words for the device-assignment slice's hops. */
import { fieldsText, hex } from '../core/words.ts';
import type { HopWords } from '../core/slice.ts';
import type { RmrrHops } from './hops.ts';

/** Words for each device-assignment hop; the device a witness is about has none of its own. */
export const rmrrHopWords: HopWords<RmrrHops> = {
  dma: (h) => (h.inflight ? `${h.device} DMA to bfn ${hex(h.bfn)} programmed by dom${h.by} (in flight)` : `${h.device} DMA to bfn ${hex(h.bfn)}`),
  context: (h) => ('of' in h ? `quarantine context (RMRR r${h.rmrr} 1:1)` : `dom${h.dom} IOMMU context (${h.mode})`),
  device: fieldsText,
};
