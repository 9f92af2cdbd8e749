/**
 * The backend's IOMMU as the GPU's DMA sees it: every address the GPU puts on the bus — from the flat
 * DMA table or a shadow GTT/PPGTT entry — goes through here before it reaches a frame. The GPU sits in
 * the backend's context (core/device/context.ts: the identity for a PV dom0, the p2m for a PVH
 * backend with `iommuPt` shared-ept, its own IOMMU table otherwise), and is translated by the one
 * device-DMA path (core/device/translate.ts), IOTLB included.
 */
import { domainContext } from './device/context.ts';
import type { DmaNotes } from './device/translate.ts';
import { performDma, translateDma } from './device/translate.ts';
import type { Hop } from './path.ts';
import type { State } from './state.ts';

/**
 * Translate a bus address through a domain's IOMMU context. Returns the MFN, the generation it was
 * mapped at, and the hops, or undefined when the IOMMU would fault.
 */
export function translateBfn(state: State, dom: number, bfn: number): { mfn: number; gen: number; hops: Hop[] } | undefined {
  const hops: Hop[] = [];
  const t = translateDma(state, domainContext(state, dom), bfn, hops);
  return t === undefined ? undefined : { mfn: t.mfn, gen: t.gen, hops };
}

/** The MFN a bus address reaches through a domain's IOMMU context, without building the hops (refs). */
export function busFrame(state: State, dom: number, bfn: number): number | undefined {
  return translateDma(state, domainContext(state, dom), bfn)?.mfn;
}

/**
 * The GPU performs a DMA to `bfn` for `client` behind the backend: translated (and, when flushes are
 * deferred, cached) in the backend's context. Undefined when the IOMMU faults.
 */
export function gpuPerformDma(state: State, client: number, bfn: number, ctx: DmaNotes): { mfn: number; gen: number } | undefined {
  const backend = state.gpu.backend;
  return performDma(state, domainContext(state, backend), bfn, { kind: 'gpu', dom: backend, client }, ctx);
}
