/**
 * The model state: plain data only (numbers, strings, booleans, arrays, plain objects), so it can be
 * cloned, hashed, diffed and serialised. Every table is an array indexed by its frame number; `null`
 * marks an empty slot. Nothing here is derived: `reach` and `refs` are computed from it (see reach.ts,
 * refs.ts) and stored counters are checked against them by the invariants.
 *
 * This file holds the core's part only; each slice's fields are merged into `State` (and `GpuState`)
 * in src/model/slices.ts, the one file that names every slice.
 *
 * Table entries (p2m, IOMMU, grant maps' and foreign maps' provenance, frame owners) are `readonly`:
 * a state copy shares them with its original (clone.ts), so an operation replaces an entry, never
 * edits it.
 */
import type { IotlbState } from './device/iotlb.ts';
import type { AdversaryState } from './adversary.ts';

/** Domain id. dom0 is the control domain (toolstack); ids are never reused within one run. */
export type DomId = number;

/**
 * Who owns a machine frame: a domain, Xen itself, nobody (on the heap's free list), nobody ever —
 * firmware-reserved memory (an RMRR) that the heap never hands out and no domain's quota counts — or
 * `io`: Xen's dom_io, the nominal owner of MMIO (PCI BAR) frames, which no domain's `tot_pages` counts.
 */
export type FrameOwner =
  | { readonly kind: 'dom'; readonly dom: DomId }
  | { readonly kind: 'xen' }
  | { readonly kind: 'free' }
  | { readonly kind: 'reserved' }
  | { readonly kind: 'io' };

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
  readonly mfn: number;
  readonly type: P2mType;
  readonly gen: number;
  /** Whether this entry holds a reference on the frame (foreign and grant maps do; so does own RAM). */
  readonly counted: boolean;
  /** For grant maps: the granter and grant reference this mapping came from. */
  readonly grant?: { readonly granter: DomId; readonly ref: number };
  /** For foreign maps: the target domain and GFN that were mapped. */
  readonly foreign?: { readonly dom: DomId; readonly gfn: number };
  /** For virtio-GPU Maps: the Map record (`VirtioGpuState.maps[handle]`) that installed this entry. */
  readonly map?: { readonly handle: number };
}

/** Why an IOMMU entry exists: map-for-DMA of a target's GFN, or a grant's device mapping. */
export type IommuSource =
  | { readonly kind: 'mapForDma'; readonly dom: DomId; readonly gfn: number }
  | { readonly kind: 'grant'; readonly granter: DomId; readonly ref: number };

/** One IOMMU entry in a domain's own (non-identity) context: BFN → MFN. */
export interface IommuEntry {
  readonly mfn: number;
  readonly gen: number;
  readonly counted: boolean;
  readonly source: IommuSource;
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
  /**
   * How a non-PV-dom0 domain's devices (and a backend's GPU) are translated: `shared-ept`, the IOMMU
   * walks the p2m (a PVH backend: its IOMMU *is* its p2m, seed 000); otherwise (absent) its own IOMMU
   * table holding only what was mapped into it, as seed 000 draws a PV backend's.
   */
  iommuPt?: 'shared-ept';
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
  readonly gfn: number;
  readonly addr: number;
  readonly addrKind: 'mfn' | 'bfn';
  readonly gen: number;
}

/**
 * The XenGT device model: the backend domain and, per client domain, a flat DMA table — the degenerate
 * shadow the core designs use. The GPU-shadowing slice adds its real shadow structures here (`shadow`,
 * merged in by src/model/slices.ts); its worlds leave the flat tables empty.
 */
export interface GpuState {
  backend: DomId;
  /** client domid → table of slots; clients are listed when the world is built or a target is added. */
  tables: Record<number, (DmaTableEntry | null)[]>;
}

/** The core's part of the model state. */
export interface CoreState {
  frames: Frame[];
  domains: Domain[];
  gpu: GpuState;
  /** Steps applied so far (the allocator's notion of time). */
  clock: number;
  /** The IOTLBs, when the design defers IOMMU flushes (core/device/iotlb.ts); absent: every unmap is flushed at once. */
  iotlb?: IotlbState;
  /** Who is trusted, where the backend runs and what guests meant (adversary.ts); XenGT worlds only. */
  adversary?: AdversaryState;
}

/** The whole model state: the core's part and every slice's fields (merged in by src/model/slices.ts). */
export interface State extends CoreState {}
