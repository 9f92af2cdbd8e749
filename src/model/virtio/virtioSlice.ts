/**
 * The virtio-GPU slice as the core sees it: its state field, its reach and refs sources (passthrough
 * devices through the shared-EPT IOMMU, hypercalls and DMAs in flight) and the words for its hops.
 * Map-installed p2m entries need no source of their own: the core's CPU reach walks them.
 */
import type { Slice } from '../core/slice.ts';
import type { VirtioHops } from './hops.ts';
import { virtioReach, virtioRefs } from './maps.ts';
import type { VirtioGpuState } from './state.ts';
import { virtioHopWords } from './words.ts';

/** This slice's field of the model state (merged into `State` by src/model/slices.ts). */
export interface VirtioStateFields {
  /** The virtio-GPU slice; absent in worlds without a virtio-GPU backend. */
  virtio?: VirtioGpuState;
}

/** The virtio-GPU slice. */
export const virtioSlice: Slice<VirtioHops> = {
  name: 'virtio',
  reach: [virtioReach],
  refs: [virtioRefs],
  hopWords: virtioHopWords,
};
