/** Words for the virtio-GPU slice's hops. */
import { hex } from '../core/words.ts';
import type { HopWords } from '../core/slice.ts';
import type { VirtioHops } from './hops.ts';

/** Words for each virtio-GPU hop. */
export const virtioHopWords: HopWords<VirtioHops> = {
  hypercall: (h) => `dom${h.dom}'s hypercall in flight (slot ${h.slot}) using gfn ${hex(h.gfn)}`,
  dmaInFlight: (h) => `dom${h.dom} ${h.device} DMA in flight to bfn ${hex(h.bfn)}`,
  ioreqFaultRange: (h) => `IOREQ fault range of dom${h.dom} at gfn ${hex(h.gfn)}`,
};
