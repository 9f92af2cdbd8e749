/**
 * The GPU-shadowing slice as the core sees it: its state fields, its reach and refs sources (the GPU
 * through the shadow GGTT/PPGTT, the CPU through the aperture; the references shadow entries hold)
 * and the words for its hops.
 */
import type { Slice } from '../core/slice.ts';
import type { GpuShadowHops } from './hops.ts';
import type { PageTrackState } from './pageTrackState.ts';
import { apertureReach, shadowGpuReach, shadowRefs } from './reach.ts';
import type { GpuShadowState, PageContents } from './state.ts';
import { gpuShadowHopWords } from './words.ts';

/** This slice's fields of the model state (merged into `State` by src/model/slices.ts). */
export interface GpuShadowStateFields {
  /** Guest page contents, by MFN, for pages written as GPU page tables (sparse). */
  pageData?: Record<number, PageContents>;
  /** Page write tracking, in the GPU-shadowing worlds. */
  pageTrack?: PageTrackState;
}

/** This slice's fields of the XenGT device model (merged into `GpuState`). */
export interface GpuShadowGpuFields {
  /** Guest GTT/PPGTT shadows; absent in worlds with only the flat tables. */
  shadow?: GpuShadowState;
}

/** The GPU-shadowing slice. */
export const gpuShadowSlice: Slice<GpuShadowHops> = {
  name: 'gpuShadow',
  reach: [shadowGpuReach, apertureReach],
  refs: [shadowRefs],
  hopWords: gpuShadowHopWords,
};
