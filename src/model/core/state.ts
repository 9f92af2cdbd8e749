/**
 * The model state: plain data only (numbers, strings, booleans, arrays, plain objects), so it can be
 * cloned, hashed, diffed and serialised. Every table is an array indexed by its frame number; `null`
 * marks an empty slot. Nothing here is derived: `reach` and `refs` are computed from it (see reach.ts,
 * refs.ts) and stored counters are checked against them by the invariants.
 */
import type { GpuShadowState, PageContents } from '../gpuShadow/state.ts';
import type { PageTrackState } from '../gpuShadow/pageTrackState.ts';
import type { VirtioGpuState } from '../virtio/state.ts';
import type { Platform } from '../rmrr/platform.ts';

/** Domain id. dom0 is the control domain (toolstack); ids are never reused within one run. */
export type DomId = number;

/**
 * Who owns a machine frame: a domain, Xen itself, nobody (on the heap's free list), nobody ever —
 * firmware-reserved memory (an RMRR) that the heap never hands out and no domain's quota counts — or
 * `io`: Xen's dom_io, the nominal owner of MMIO (PCI BAR) frames, which no domain's `tot_pages` counts.
 */
export type FrameOwner = { kind: 'dom'; dom: DomId } | { kind: 'xen' } | { kind: 'free' } | { kind: 'reserved' } | { kind: 'io' };

/** Machine frame (MFN): a real page of host memory. */
export interface Frame {
  owner: FrameOwner;
  /** RAM frames come from the heap; MMIO (PCI BAR) frames have no page bookkeeping of their own. */
  kind: 'ram' | 'mmio';
  /** Allocation generation: bumped each time the allocator hands the frame out. */
  gen: number;
  /** Xen's stored reference count (PGC_allocated plus every mapping that takes a reference). */
  refcount: number;
  /** Step at which the frame last went back on the free list (-1: never); lets the allocator prefer it. */
  freedAt: number;
}

/** p2m types that matter to ownership (Xen's p2m_type_t, abbreviated). */
export type P2mType =
  | 'ram_rw'
  | 'ram_ro'
  | 'mmio_direct'
  | 'mmio_dm'
  | 'grant_map_rw'
  | 'grant_map_ro'
  | 'foreign';

/** One p2m (EPT/NPT) entry: GFN → MFN. `gen` is the frame's generation when the entry was made. */
export interface P2mEntry {
  mfn: number;
  type: P2mType;
  gen: number;
  /** Whether this entry holds a reference on the frame (foreign and grant maps do; so does own RAM). */
  counted: boolean;
  /** For grant maps: the granter and grant reference this mapping came from. */
  grant?: { granter: DomId; ref: number };
  /** For foreign maps: the target domain and GFN that were mapped. */
  foreign?: { dom: DomId; gfn: number };
  /** For virtio-GPU Maps: the Map record (`VirtioGpuState.maps[handle]`) that installed this entry. */
  map?: { handle: number };
}

/** Why an IOMMU entry exists: map-for-DMA of a target's GFN, or a grant's device mapping. */
export type IommuSource =
  | { kind: 'mapForDma'; dom: DomId; gfn: number }
  | { kind: 'grant'; granter: DomId; ref: number };

/** One IOMMU entry in a domain's own (non-identity) context: BFN → MFN. */
export interface IommuEntry {
  mfn: number;
  gen: number;
  counted: boolean;
  source: IommuSource;
}

/**
 * Domain kinds. A PV dom0 classically has a 1:1 IOMMU over all RAM (BFN == MFN); a PVH dom0 or
 * driver domain and an HVM guest have a real IOMMU context holding only what was mapped into it.
 */
export type DomainKind = 'pv-dom0' | 'pvh' | 'hvm';

/** A grant entry: the granter lets one grantee map one of its GFNs. */
export interface GrantEntry {
  grantee: DomId;
  gfn: number;
  readonly: boolean;
  /** Live mappings of this grant (host and device mappings each count one). */
  maps: number;
}

/** A domain. */
export interface Domain {
  id: DomId;
  kind: DomainKind;
  /**
   * 'none': a spare id not yet created; 'alive' runs; 'dying' was destroyed but still owns frames that
   * someone holds a reference to; 'dead' owns none.
   */
  state: 'none' | 'alive' | 'dying' | 'dead';
  maxPages: number;
  /** Xen's stored count of frames the domain owns. */
  totPages: number;
  /** GFN → entry. */
  p2m: (P2mEntry | null)[];
  /** BFN → entry; unused (all null) when `kind` is 'pv-dom0', whose context is the identity over RAM. */
  iommu: (IommuEntry | null)[];
  /** Domains this one is privileged for (IS_PRIV_FOR; XEN_DOMCTL_set_target extended to a list). */
  targets: DomId[];
  /** The domain's grant table, indexed by grant reference. */
  grants: (GrantEntry | null)[];
  /** The grant mappings this domain holds (Xen's maptrack), indexed by grant handle. */
  maptrack: (MaptrackEntry | null)[];
}

/** One grant mapping held by a grantee: a host mapping (p2m GFN) and/or a device mapping (IOMMU BFN). */
export interface MaptrackEntry {
  granter: DomId;
  ref: number;
  readonly: boolean;
  /** GFN of the host mapping in the grantee's p2m, or -1 for none. */
  hostGfn: number;
  /** BFN of the device mapping in the grantee's IOMMU context, or -1 for none. */
  deviceBfn: number;
}

/**
 * One entry of the device model's flat DMA table (the simplest shadow GTT): the address the GPU puts
 * on the bus for a client page. `addrKind` says whether it is a raw MFN (the 2014 lookup) or a BFN in
 * the backend's IOMMU (map-for-DMA). `gen` is the generation of the frame the address named when set.
 */
export interface DmaTableEntry {
  gfn: number;
  addr: number;
  addrKind: 'mfn' | 'bfn';
  gen: number;
}

/**
 * The XenGT device model: the backend domain and, per client domain, a flat DMA table — the degenerate
 * shadow the core designs use — and, in the GPU-shadowing designs, the real shadow structures (`shadow`,
 * whose flat tables stay empty). gpu.ts is the seam through which the rest of the model sees both.
 */
export interface GpuState {
  backend: DomId;
  /** client domid → table of slots; clients are listed when the world is built or a target is added. */
  tables: Record<number, (DmaTableEntry | null)[]>;
  /** Guest GTT/PPGTT shadows (gpuShadow.ts); absent in worlds with only the flat tables. */
  shadow?: GpuShadowState;
}

/** The whole model state. */
export interface State {
  frames: Frame[];
  domains: Domain[];
  gpu: GpuState;
  /** Guest page contents, by MFN, for pages written as GPU page tables (sparse). */
  pageData?: Record<number, PageContents>;
  /** Page write tracking, in the GPU-shadowing worlds. */
  pageTrack?: PageTrackState;
  /** PCI devices, their RMRRs and assignment (platform.ts); absent in worlds without device assignment. */
  platform?: Platform;
  /** The virtio-GPU slice; absent in worlds without a virtio-GPU backend. */
  virtio?: VirtioGpuState;
  /** Steps applied so far (the allocator's notion of time). */
  clock: number;
}
