/**
 * The path steps of the device-assignment slice: a device's DMA, the IOMMU context it goes through,
 * and the device a transition witness is about.
 */
import type { DomId } from '../core/state.ts';
import type { Platform } from './platform.ts';

/** A device's DMA to bus frame `bfn`: one it does now, or one `by` programmed and it may still do (`inflight`). */
export interface DmaHop {
  readonly via: 'dma';
  readonly device: string;
  readonly bfn: number;
  readonly by?: DomId;
  readonly inflight?: boolean;
}

/** The IOMMU context the DMA is translated in: a domain's (with how its tables are kept), or the quarantine context's 1:1 RMRR map. */
export type ContextHop =
  | { readonly via: 'context'; readonly dom: DomId; readonly mode: Platform['iommuPt'] }
  | { readonly via: 'context'; readonly of: 'quarantine'; readonly rmrr: number };

/** The device an assignment witness is about. */
export interface DeviceHop {
  readonly via: 'device';
  readonly device: string;
}

/** This slice's hops, by `via` (merged into the core's HopKinds in src/model/slices.ts). */
export interface RmrrHops {
  dma: DmaHop;
  context: ContextHop;
  device: DeviceHop;
}
