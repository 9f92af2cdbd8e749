/**
 * The device-assignment (RMRR) slice as the core sees it: its state field, its reach and refs sources
 * (assigned devices' DMA; entries only in a separate IOMMU's tables) and the words for its hops.
 */
import type { Slice } from '../core/slice.ts';
import { deviceReach, iommuOnlyRefs } from './deviceDma.ts';
import type { RmrrHops } from './hops.ts';
import type { Platform } from './platform.ts';
import { rmrrHopWords } from './words.ts';

/** This slice's field of the model state (merged into `State` by src/model/slices.ts). */
export interface RmrrStateFields {
  /** PCI devices, their RMRRs and assignment (platform.ts); absent in worlds without device assignment. */
  platform?: Platform;
}

/** The device-assignment slice. */
export const rmrrSlice: Slice<RmrrHops> = {
  name: 'rmrr',
  reach: [deviceReach],
  refs: [iommuOnlyRefs],
  hopWords: rmrrHopWords,
};
