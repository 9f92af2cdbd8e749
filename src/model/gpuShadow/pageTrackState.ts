/**
 * State of KVM page tracking: memslots with their per-GFN write-track counters and the notifiers
 * registered on them (the page-track API of seed 002).
 */
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
