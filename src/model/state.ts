/**
 * The model state: plain data only (numbers, strings, booleans, arrays, plain objects), so it can be
 * cloned, hashed, diffed and serialised. Every table is an array indexed by its frame number; `null`
 * marks an empty slot. Nothing here is derived: `reach` and `refs` are computed from it (see reach.ts,
 * refs.ts) and stored counters are checked against them by the invariants.
 */
import type { Platform } from './platform.ts';

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

/**
 * One shadow page-table entry: the host address the GPU uses for a guest GFN, as the design's resolver
 * (raw lookup, map-for-DMA or KVMGT's pin) answered. `client` is the VM whose GFN it translates.
 */
export interface ShadowEntry extends DmaTableEntry {
  client: DomId;
  /** Whether the entry itself holds a page reference (KVMGT's vfio_pin_pages); map-for-DMA's is in the IOMMU. */
  pinned: boolean;
}

/**
 * A guest page the device model mirrors: its GFN, and the frame (and that frame's generation) it read
 * the guest's entries from; `mfn` -1 once the device model knows the page is gone.
 */
export interface MirroredPage {
  gfn: number;
  mfn: number;
  gen: number;
}

/** A shadow page table: mirrors one guest PT page, one shadow entry per guest entry (null: scratch). */
export interface ShadowPt extends MirroredPage {
  entries: (ShadowEntry | null)[];
}

/** A shadow per-process GTT: mirrors the guest's root (page directory) page; one shadow PT per PD entry. */
export interface ShadowPpgtt {
  root: MirroredPage;
  pts: (ShadowPt | null)[];
}

/** A GPU command the device model accepted after its audit, waiting for the GPU. */
export interface GpuCommand {
  /** Which address space the command's graphics memory address is in. */
  space: 'ggtt' | 'ppgtt';
  gma: number;
  write: boolean;
}

/** One client VM's vGPU in the device model. */
export interface Vgpu {
  /** First global-GTT index of this VM's slice of the partitioned GGTT. */
  ggttBase: number;
  /** The guest's view of its slice (written through trapped MMIO): a GFN per entry, -1 not present. */
  vggtt: number[];
  /** The VM's PPGTTs, shadowed; null slots are free. */
  ppgtts: (ShadowPpgtt | null)[];
  /** Commands accepted after the audit, oldest first. */
  ring: GpuCommand[];
}

/** The mediated GPU: the shared shadow global GTT, per-VM vGPUs, and the context the GPU runs. */
export interface GpuShadowState {
  /** The shadow GGTT the GPU walks: one table holding every VM's slice. */
  ggtt: (ShadowEntry | null)[];
  /** client domid → its vGPU. */
  vgpus: Record<number, Vgpu>;
  /** The loaded context: the client VM and its PPGTT (-1: none); null while the GPU is idle. */
  running: { client: DomId; ppgtt: number } | null;
}

/**
 * Contents of a guest page used as a GPU page table: its entries (a GFN each, -1 not present), valid
 * for the frame's generation `gen` — a reallocated frame reads as a fresh, zeroed page.
 */
export interface PageContents {
  gen: number;
  entries: number[];
}

/**
 * A KVM memslot (kvm_memory_slot): a GFN range with flags, holding its page-track counters
 * (gfn_track[KVM_PAGE_TRACK_WRITE], indexed by gfn - base).
 */
export interface Memslot {
  base: number;
  npages: number;
  /** KVM_MEM_LOG_DIRTY_PAGES, the flag QEMU flips for migration and VGA dirty tracking. */
  dirtyLog: boolean;
  writeTrack: number[];
}

/** Page tracking for one VM: its memslots and the registered track notifiers (by name). */
export interface PageTrackVm {
  memslots: Memslot[];
  notifiers: string[];
}

/** Write tracking of guest pages (KVM's page-track API; Xen's write-protected p2m type). */
export interface PageTrackState {
  /** Largest value a track counter can hold (2^bits - 1; KVM's is an 'unsigned short'). */
  counterMax: number;
  vms: Record<number, PageTrackVm>;
}

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

/** A DMA a passthrough device started through its domain's IOMMU and has not finished. */
export interface InFlightDma {
  dom: DomId;
  device: string;
  /** Bus frame the device addressed; with shared EPT the BFN is the GFN. */
  bfn: number;
  mfn: number;
  gen: number;
  write: boolean;
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
  dmas: InFlightDma[];
  /** Frames the backend got by Steal and still owns (for Return's bookkeeping and statistics). */
  stolen: { mfn: number; gen: number }[];
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
