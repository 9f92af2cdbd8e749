/**
 * The IOASID / iommufd slice as the core sees it: its state field, its reach and refs sources (devices
 * through IOASIDs, mdev pins, ENQCMD, DMA in flight; pins and shadows) and the words for its hops.
 */
import type { Slice } from '../core/slice.ts';
import type { IoasidHops } from './hops.ts';
import { ioasidReach, ioasidRefs } from './reach.ts';
import type { IoasidState } from './state.ts';
import { ioasidHopWords } from './words.ts';

/** This slice's field of the model state (merged into `State` by src/model/slices.ts). */
export interface IoasidStateFields {
  /** The IOASID slice; absent in worlds without /dev/ioasid. */
  ioasid?: IoasidState;
}

/** The IOASID slice. */
export const ioasidSlice: Slice<IoasidHops> = {
  name: 'ioasid',
  reach: [ioasidReach],
  refs: [ioasidRefs],
  hopWords: ioasidHopWords,
};
