/**
 * The core's own contributions, registered like a slice's so that reach() and refs() are one
 * concatenation: the CPU through the p2m, the GPU through the flat DMA tables, and the references the
 * p2m, IOMMU and DMA tables hold; and the IOTLBs' cached translations (when a design defers flushes).
 */
import { iotlbReach, iotlbRefs } from './device/iotlb.ts';
import { dmaTableReach, dmaTableRefs } from './dmaTable.ts';
import type { CoreHops } from './path.ts';
import { cpuReach } from './reach.ts';
import { tableRefs } from './refs.ts';
import type { Slice } from './slice.ts';
import { coreHopWords } from './words.ts';

/** The core, as the first entry of the slice listing. */
export const coreSlice: Slice<CoreHops> = {
  name: 'core',
  reach: [cpuReach, dmaTableReach, iotlbReach],
  refs: [tableRefs, dmaTableRefs, iotlbRefs],
  hopWords: coreHopWords,
};
