/**
 * Every built-in design, in the order reports list them. A new design is one file in this folder and
 * one line here.
 */
import { kvmgtPageTrack } from './kvmgtPageTrack.ts';
import { rmrr2014 } from './rmrr2014.ts';
import { rmrrV2 } from './rmrrV2.ts';
import type { Design } from './types.ts';
import { virtioGpuPrimitives } from './virtioGpuPrimitives.ts';
import { xenMapForDma } from './xenMapForDma.ts';
import { xenTranslateGpfn } from './xenTranslateGpfn.ts';
import { xengtShadowMap } from './xengtShadowMap.ts';
import { xengtShadowTranslate } from './xengtShadowTranslate.ts';

/** The built-in designs. */
export const DESIGNS: readonly Design[] = [
  xenTranslateGpfn,
  xenMapForDma,
  rmrr2014,
  rmrrV2,
  xengtShadowTranslate,
  xengtShadowMap,
  kvmgtPageTrack,
  virtioGpuPrimitives,
];

/** Look a design up by id. */
export function findDesign(id: string): Design | undefined {
  return DESIGNS.find((d) => d.id === id);
}
