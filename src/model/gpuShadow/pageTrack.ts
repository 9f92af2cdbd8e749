/**
 * Page tracking (seed 002, "[PATCH v3 00/11] KVM: x86: track guest page access"): per-GFN write-track
 * counters kept in each memslot (`kvm_page_track_add_page` / `kvm_page_track_remove_page`, an
 * 'unsigned short' each), and track notifiers (`kvm_page_track_register_notifier` /
 * `unregister_notifier`) whose `track_write` runs after a trapped write has been emulated.
 * Xen's equivalent for XenGT — write-protecting a page by its p2m type so the ioreq server sees the
 * writes — is modelled with the same counters over one fixed range: Xen has no memslots.
 * These are the hypervisor's functions; the device model calls them (src/model/gpuShadow/ops/deviceModel.ts).
 */
import type { State } from '../core/state.ts';
import type { Memslot, PageTrackVm } from './pageTrackState.ts';

/** The memslot holding `gfn`, if any ("do not track the gfn which is not mapped in memslots"). */
export function slotOf(vm: PageTrackVm | undefined, gfn: number): Memslot | undefined {
  if (vm === undefined) return undefined;
  for (const s of vm.memslots) if (gfn >= s.base && gfn < s.base + s.npages) return s;
  return undefined;
}

/** A VM's write-track counter for `gfn` (0 when untracked or outside every memslot). */
export function trackCount(state: State, dom: number, gfn: number): number {
  const s = slotOf(state.pageTrack?.vms[dom], gfn);
  return s === undefined ? 0 : s.writeTrack[gfn - s.base];
}

/** What adding or removing a tracker did. */
export type TrackResult = 'ok' | 'no-slot' | 'at-limit' | 'underflow';

/**
 * kvm_page_track_add_page(kvm, gfn, KVM_PAGE_TRACK_WRITE). At the counter's width limit KVM's
 * `WARN_ON(val + count > USHRT_MAX)` skips the increment — and the API returns void, so the caller
 * believes the page tracked: 'at-limit' is for the model's notes, not something a device model sees.
 */
export function addPage(state: State, dom: number, gfn: number): TrackResult {
  const pt = state.pageTrack;
  const s = slotOf(pt?.vms[dom], gfn);
  if (pt === undefined || s === undefined) return 'no-slot';
  const i = gfn - s.base;
  if (s.writeTrack[i] >= pt.counterMax) return 'at-limit';
  s.writeTrack[i] += 1;
  return 'ok';
}

/** kvm_page_track_remove_page: the GFN stays tracked until its last tracker is gone. */
export function removePage(state: State, dom: number, gfn: number): TrackResult {
  const s = slotOf(state.pageTrack?.vms[dom], gfn);
  if (s === undefined) return 'no-slot';
  const i = gfn - s.base;
  // KVM's WARN_ON(val + count < 0) refuses to go below zero.
  if (s.writeTrack[i] === 0) return 'underflow';
  s.writeTrack[i] -= 1;
  return 'ok';
}

/** kvm_page_track_register_notifier: `name`'s track_write will be called for the VM's tracked writes. */
export function registerNotifier(state: State, dom: number, name: string): boolean {
  const vm = state.pageTrack?.vms[dom];
  if (vm === undefined || vm.notifiers.includes(name)) return false;
  vm.notifiers.push(name);
  return true;
}

/** kvm_page_track_unregister_notifier. */
export function unregisterNotifier(state: State, dom: number, name: string): boolean {
  const vm = state.pageTrack?.vms[dom];
  const i = vm === undefined ? -1 : vm.notifiers.indexOf(name);
  if (i < 0) return false;
  vm!.notifiers.splice(i, 1);
  return true;
}

/** Whether any counter of a memslot is nonzero. */
export function slotHasTracking(s: Memslot): boolean {
  for (const n of s.writeTrack) if (n > 0) return true;
  return false;
}

/** A memslot over [base, base + npages) with no tracking and no flags. */
export function emptySlot(base: number, npages: number): Memslot {
  return { base, npages, dirtyLog: false, writeTrack: new Array<number>(npages).fill(0) };
}
