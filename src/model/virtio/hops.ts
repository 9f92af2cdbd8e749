/**
 * The path steps of the virtio-GPU slice: hypercalls and DMAs in flight that hold a page, and the IOREQ
 * server's fault ranges. (The Map a p2m entry came from is a core hop: the p2m entry records it.)
 */
import type { DomId } from '../core/state.ts';

/** `dom`'s hypercall in flight (slot `slot` of the in-flight list) using its `gfn` as a buffer. */
export interface HypercallHop {
  readonly via: 'hypercall';
  readonly dom: DomId;
  readonly slot: number;
  readonly gfn: number;
}

/** A DMA `dom`'s passthrough `device` started to bus frame `bfn` and has not finished. */
export interface DmaInFlightHop {
  readonly via: 'dmaInFlight';
  readonly dom: DomId;
  readonly device: string;
  readonly bfn: number;
}

/** The IOREQ server's fault range over `dom`'s `gfn`. */
export interface IoreqFaultRangeHop {
  readonly via: 'ioreqFaultRange';
  readonly dom: DomId;
  readonly gfn: number;
}

/** This slice's hops, by `via` (merged into the core's HopKinds in src/model/slices.ts). */
export interface VirtioHops {
  hypercall: HypercallHop;
  dmaInFlight: DmaInFlightHop;
  ioreqFaultRange: IoreqFaultRangeHop;
}
