/**
 * State of the virtio-GPU worlds: live Maps, the IOREQ server's fault ranges and delivered IOREQs, and the
 * frontend hypercalls and DMAs in flight (seed 004).
 */
import type { DeviceDma } from '../core/device/dma.ts';
import type { DomId, P2mType } from '../core/state.ts';

/**
 * One virtio-GPU Map (seed 004): `provider` made frame `mfn` (generation `gen`) visible at `dom`'s
 * `gfn` with p2m type `type`. A direct Map comes from the backend's buffer (`parent` -1); an onward Map
 * re-Maps a GFN its provider received by Map (`parent` is that Map's handle).
 */
export interface VirtioMap {
  provider: DomId;
  parent: number;
  mfn: number;
  gen: number;
  dom: DomId;
  gfn: number;
  type: P2mType;
}

/** A hypercall in progress that uses one of `dom`'s pages as its buffer (start … finish across steps). */
export interface InFlightHypercall {
  dom: DomId;
  gfn: number;
  mfn: number;
  gen: number;
  write: boolean;
  /** Whether Xen took a page reference for it (RAM only: MMIO has no page bookkeeping). */
  counted: boolean;
}

/** A request the IOREQ server received: an emulated access (`copy`) or a revoked-range fault (`fault`). */
export interface IoreqRecord {
  type: 'copy' | 'fault';
  dom: DomId;
  gfn: number;
}

/**
 * The virtio-GPU slice (seed 004): one IOREQ-server backend serving one frontend. MMIO frames have no
 * page bookkeeping, so who still maps a BAR page is known only from `maps` and the p2m tables.
 */
export interface VirtioGpuState {
  /** The IOREQ server's domain (dom0 or a driver domain), which owns the buffers. */
  backend: DomId;
  /** The guest it serves. */
  frontend: DomId;
  /** Each domain's `iomem_caps`: the MMIO frames it may map. Map checks the backend's, never the frontend's. */
  iomemCaps: Record<number, number[]>;
  /** Passthrough devices; their IOMMU shares the p2m (shared EPT), so a GFN is also their BFN. */
  devices: { dom: DomId; name: string }[];
  /** Live Maps, indexed by handle (`null`: free slot). */
  maps: (VirtioMap | null)[];
  /** The IOREQ server's fault range set: frontend GFNs whose accesses become IOREQ_TYPE_FAULT. */
  faultRanges: number[];
  /** IOREQs delivered to the backend, oldest first. */
  ioreqs: IoreqRecord[];
  hypercalls: InFlightHypercall[];
  /** DMAs the frontend's passthrough device started (`by` the frontend) and has not finished: the core's DMA record. */
  dmas: DeviceDma[];
  /** Frames the backend got by Steal and still owns (for Return's bookkeeping and statistics). */
  stolen: { mfn: number; gen: number }[];
}
