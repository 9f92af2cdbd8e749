/**
 * Every slice of the model, in one list: the only file that names them all (designs.ts and the
 * invariant registry list designs and invariants, not slices). A new subsystem is a folder under
 * src/model/ with a `<name>Slice.ts`, one line in SLICES, its hop kinds and state fields below, and
 * its hop words in HOP_WORDS.
 *
 * Order matters: reach() and refs() concatenate the slices' sources in this order, and witnesses (kept
 * in the corpus) list facts in the order they were found.
 */
import { coreSlice } from './core/coreSlice.ts';
import type { CoreHops } from './core/path.ts';
import type { HopWords } from './core/slice.ts';
import { gpuShadowSlice, type GpuShadowGpuFields, type GpuShadowStateFields } from './gpuShadow/gpuShadowSlice.ts';
import type { GpuShadowHops } from './gpuShadow/hops.ts';
import type { IoasidHops } from './ioasid/hops.ts';
import { ioasidSlice, type IoasidStateFields } from './ioasid/ioasidSlice.ts';
import type { RmrrHops } from './rmrr/hops.ts';
import { rmrrSlice, type RmrrStateFields } from './rmrr/rmrrSlice.ts';
import type { VirtioHops } from './virtio/hops.ts';
import { virtioSlice, type VirtioStateFields } from './virtio/virtioSlice.ts';

// The model's types, composed: the core declares its part of the state and its hops, and each slice's
// are merged in here (TypeScript interface merging), so no core file names a slice.
declare module './core/state.ts' {
  interface State extends GpuShadowStateFields, RmrrStateFields, VirtioStateFields, IoasidStateFields {}
  interface GpuState extends GpuShadowGpuFields {}
}
declare module './core/path.ts' {
  interface HopKinds extends GpuShadowHops, RmrrHops, VirtioHops, IoasidHops {}
}

/** The core first, then each slice. */
export const SLICES = [coreSlice, gpuShadowSlice, rmrrSlice, virtioSlice, ioasidSlice] as const;

/** Words for every hop kind; the type makes a hop kind without words a compile error. */
export const HOP_WORDS: HopWords<CoreHops & GpuShadowHops & RmrrHops & VirtioHops & IoasidHops> = {
  ...coreSlice.hopWords,
  ...gpuShadowSlice.hopWords,
  ...rmrrSlice.hopWords,
  ...virtioSlice.hopWords,
  ...ioasidSlice.hopWords,
};
