/**
 * Every built-in design, in the order reports list them. A new design is one file in this folder and
 * one line here.
 */
import type { Design } from './types.ts';
import { virtioGpuPrimitives } from './virtioGpuPrimitives.ts';
import { xenMapForDma } from './xenMapForDma.ts';
import { xenTranslateGpfn } from './xenTranslateGpfn.ts';

/** The built-in designs. */
export const DESIGNS: readonly Design[] = [xenTranslateGpfn, xenMapForDma, virtioGpuPrimitives];

/** Look a design up by id. */
export function findDesign(id: string): Design | undefined {
  return DESIGNS.find((d) => d.id === id);
}
