/**
 * State of the GPU-shadowing worlds: guest GTT/PPGTT shadows held by the device model, the vGPUs and
 * their command queues, and the contents of guest pages written as GPU page tables.
 */
import type { DomId, DmaTableEntry } from '../core/state.ts';

/**
 * One shadow page-table entry: the host address the GPU uses for a guest GFN, as the design's resolver
 * (raw lookup, map-for-DMA or KVMGT's pin) answered. `client` is the VM whose GFN it translates.
 */
export interface ShadowEntry extends DmaTableEntry {
  readonly client: DomId;
  /** Whether the entry itself holds a page reference (KVMGT's vfio_pin_pages); map-for-DMA's is in the IOMMU. */
  readonly pinned: boolean;
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

/**
 * One entry of KVMGT's protect table (`kvmgt_protect_table_add`): a guest page this vGPU has
 * write-protected through KVM — once, whatever the number of shadow structures mirroring it. `users` is
 * GVT's count of those structures (its shadow page is shared and refcounted, `ppgtt_get_spt` /
 * `ppgtt_put_spt`; the model keeps one mirror per structure instead), so KVM is called on the first
 * and the last of them only.
 */
export interface ProtectEntry {
  readonly gfn: number;
  readonly users: number;
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
  /**
   * KVMGT's protect table (torvalds/linux drivers/gpu/drm/i915/gvt/kvmgt.c): the pages this vGPU has
   * write-tracked with KVM, each once. Absent when the device model tracks once per shadow structure
   * (the seed-002 API as posted, and XenGT's write-protected p2m type as the model has it).
   */
  protect?: ProtectEntry[];
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
