/**
 * The IOASID / iommufd slice's state (seed 001: the /dev/ioasid uAPI RFC, Kevin Tian's reply of
 * 2021-06-01 quoting §5.1–5.7). VMM processes are domains whose p2m is their HVA page table (HVA page →
 * frame); the kernel's objects — IOASID fds, IOASIDs with their DMA mappings and shadows, bound devices,
 * PASIDs and pending I/O page faults — live here. Plain data; entries (map, shadow, pin and fault
 * records) are frozen values that an op replaces, never edits (clone.ts shares them between copies).
 */
import type { DomId } from '../core/state.ts';

/** A root (gpa) IOASID's DMA mapping of one IOVA page: the HVA page it came from, and the frame pinned. */
export interface RootMap {
  readonly via: 'hva';
  readonly hva: number;
  readonly mfn: number;
  readonly gen: number;
  /**
   * Peer-to-peer: the HVA page is an mmap of this device's MMIO BAR, not RAM — the mapping holds no page
   * reference and charges nothing, and lasts only as long as that BAR mapping does.
   */
  readonly bar?: string;
  /**
   * The VMM made this mapping for its guest's RAM: IOVA (a GPA) from the HVA its KVM memslot gives that
   * GPA — the mapping a memslot change must carry along (QEMU's VFIO memory listener).
   */
  readonly guestRam?: true;
}

/** A device's MMIO BAR page (a frame of kind 'mmio', owned by no process) that its owner may mmap. */
export interface BarPage {
  readonly device: string;
  readonly mfn: number;
}

/** A software-nested child's mapping of one IOVA page: a GPA, translated through the parent. */
export interface ChildMap {
  readonly via: 'gpa';
  readonly gpa: number;
}

/** What the kernel merged for a software-nested child: GIOVA → GPA → frame, at the generation it resolved. */
export interface ShadowEntry {
  readonly gpa: number;
  readonly mfn: number;
  readonly gen: number;
}

/** IOASID kinds: the guest-physical root, and the address spaces nested on it (§5.2–5.7). */
export type IoasidKind = 'gpa' | 'giova' | 'gva' | 'pasidtbl';

/** One I/O address space of an fd. */
export interface Ioasid {
  readonly kind: IoasidKind;
  /** The IOASID (same fd) this one is nested on; -1 for a root. */
  readonly parent: number;
  /** By IOVA page: root mappings (HVA, pinned) on a root, GPA mappings on a software-nested child. */
  maps: (RootMap | ChildMap | null)[];
  /** Software nesting: the merged GIOVA → frame entries the IOMMU walks, by IOVA page. */
  shadow: (ShadowEntry | null)[];
  /**
   * Hardware nesting: the guest's stage-1 table root (or, for 'pasidtbl', its PASID table), a GPA the
   * IOMMU translates through the parent — or, where the design ignores that the table is in GPA space
   * (pasidTableAddr=hpa), a host frame number used as it is.
   */
  bound: null | { readonly gpa: number } | { readonly hpa: number };
}

/** A range of HVA pages registered for accounting (IOASID_REGISTER_MEMORY), pinned page by page. */
export interface Registration {
  readonly hva: number;
  readonly frames: readonly { readonly mfn: number; readonly gen: number }[];
}

/** A user fault record on an fd's ring: what user space sees of a page request. */
export interface FaultRecord {
  /** The device label (faultKey=device-label) or the IOASID (faultKey=ioasid) the response names. */
  readonly key: number;
  readonly iova: number;
}

/** An open /dev/ioasid fd. */
export interface IoasidFd {
  readonly owner: DomId;
  /** FD-local IOASID ids. */
  ioasids: (Ioasid | null)[];
  registered: Registration[];
  /** The stored locked-page count charged to the owner (RLIMIT_MEMLOCK), checked against the pins. */
  lockedPages: number;
  ring: FaultRecord[];
  /** unmapOrder=unpin-then-revoke: pages were unpinned and the revocation is still to run (at the fd's next op). */
  unsettled: boolean;
}

/** A device's PASID attachment (IOASID_ATTACH_USER_PASID): vPASID → IOASID of its bound fd. */
export interface PasidAttach {
  readonly vpasid: number;
  readonly fd: number;
  readonly ioasid: number;
  /** The host PASID the kernel allocated for it (global; what faults carry). */
  readonly host: number;
}

/** A DMA a device was programmed to do and has not done: translated when it is performed. */
export interface InflightDma {
  readonly by: DomId;
  readonly pasid: number;
  readonly iova: number;
  readonly write: boolean;
}

/** An mdev's access pin: its parent driver pinned the page behind `iova` through the IOASID and DMAs by host address. */
export interface AccessPin {
  readonly fd: number;
  readonly ioasid: number;
  readonly iova: number;
  readonly mfn: number;
  readonly gen: number;
}

/** A device (pdev or mdev) and what it is bound and attached to. */
export interface IoDevice {
  readonly name: string;
  readonly kind: 'pdev' | 'mdev';
  /** Index into `groups`, or -1 for a device alone in its group. */
  readonly group: number;
  readonly pasidCapable: boolean;
  readonly faultCapable: boolean;
  readonly enqcmdCapable: boolean;
  /** The process the toolstack gave it to. */
  owner: DomId;
  /** The fd it is bound to (VFIO_BIND_IOASID_FD), or -1. */
  boundFd: number;
  /** The label VFIO_BIND_IOASID_FD returned (faults name it), or -1. */
  label: number;
  /** RID attachment: the fd and IOASID its requests without PASID use, or null. */
  rid: null | { readonly fd: number; readonly ioasid: number };
  pasids: PasidAttach[];
  inflight: InflightDma[];
  pins: AccessPin[];
  /**
   * A response of IOMMU_PAGE_RESP_FAILURE stopped the device's page requests ("drop all subsequent
   * faults from this device"); the next VFIO_BIND_IOASID_FD, which resets the device, starts them again.
   */
  priStopped: boolean;
}

/** The response codes a fault response carries (Linux's enum iommu_page_response_code). */
export type PageResponseCode = 'success' | 'invalid' | 'failure';

/** An IOMMU group: devices without ACS between them share one translation context. */
export interface IoGroup {
  readonly devices: readonly string[];
  /** The context every member's RID walks: set by an attach, per the group policy. */
  ctx: null | { readonly fd: number; readonly ioasid: number };
}

/** KVM_MAP_PASID: a guest PASID of a VM mapped to an IOASID (the CPU's ENQCMD PASID translation). */
export interface KvmPasid {
  readonly guestPasid: number;
  readonly fd: number;
  readonly ioasid: number;
}

/** A page request the host IOMMU driver received and queued (§5.6), with what it saved for the response. */
export interface PendingFault {
  readonly device: string;
  readonly pasid: number;
  readonly iova: number;
  readonly fd: number;
  readonly ioasid: number;
  readonly label: number;
}

/** The slice's state. */
export interface IoasidState {
  /** By fd id; null once closed (ids are not reused within a run). */
  fds: (IoasidFd | null)[];
  devices: IoDevice[];
  groups: IoGroup[];
  /** Per VM process: its KVM PASID translations. */
  kvmPasid: Record<DomId, KvmPasid[]>;
  /** Global host PASIDs, reusable: what PASID reuse is made of. */
  hostPasids: (null | { readonly fd: number; readonly ioasid: number })[];
  /** How many times each host PASID was handed out (a second time is a reuse). */
  hostPasidAllocs: number[];
  pendingFaults: PendingFault[];
  /** RLIMIT_MEMLOCK of each user, in pages (no CAP_IPC_LOCK). */
  memlock: Record<DomId, number>;
  /** Guest page contents (stage-1 and PASID tables), by frame: valid only at the generation written. */
  pages: Record<number, { readonly gen: number; readonly entries: readonly number[] }>;
  /** Next device label VFIO_BIND_IOASID_FD hands out. */
  nextLabel: number;
  /** The devices' BAR pages (fixed by the platform). */
  bars: readonly BarPage[];
  /**
   * Each VM process's KVM memslots, page by page: GPA page → the HVA page backing it (null: no memslot).
   * The guest's CPU sees its GPA g at HVA memslots[proc][g]; a device sees it as the IOASID maps it.
   */
  memslots: Record<DomId, (number | null)[]>;
}
