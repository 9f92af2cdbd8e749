/**
 * Every built-in design, in the order reports list them. A new design is one file in this folder and
 * one line here.
 */
import { ioasidFd } from './ioasid/designs/ioasidFd.ts';
import { kvmgtTrackRace } from './gpuShadow/designs/kvmgtTrackRace.ts';
import { kvmgtPageTrack } from './gpuShadow/designs/kvmgtPageTrack.ts';
import { rmrr2014 } from './rmrr/designs/rmrr2014.ts';
import { rmrrV2 } from './rmrr/designs/rmrrV2.ts';
import type { Design } from './core/design.ts';
import { vfioType1Container } from './ioasid/designs/vfioType1Container.ts';
import { virtioGpuPrimitives } from './virtio/designs/virtioGpuPrimitives.ts';
import { xenMapForDma } from './core/designs/xenMapForDma.ts';
import { xenPreemptible } from './core/designs/xenPreemptible.ts';
import { xenTranslateGpfn } from './core/designs/xenTranslateGpfn.ts';
import { xenGrantBackend } from './core/designs/xenGrantBackend.ts';
import { xengtShadowMap } from './gpuShadow/designs/xengtShadowMap.ts';
import { xengtShadowTranslate } from './gpuShadow/designs/xengtShadowTranslate.ts';
import { xengtGrant } from './core/designs/xengtGrant.ts';
import { xengtPrivsep } from './core/designs/xengtPrivsep.ts';

/** The built-in designs. */
export const DESIGNS: readonly Design[] = [
  xenTranslateGpfn,
  xenMapForDma,
  xengtPrivsep,
  xengtGrant,
  xenGrantBackend,
  xenPreemptible,
  rmrr2014,
  rmrrV2,
  xengtShadowTranslate,
  xengtShadowMap,
  kvmgtPageTrack,
  kvmgtTrackRace,
  virtioGpuPrimitives,
  vfioType1Container,
  ioasidFd,
];

/** Look a design up by id. */
export function findDesign(id: string): Design | undefined {
  return DESIGNS.find((d) => d.id === id);
}
