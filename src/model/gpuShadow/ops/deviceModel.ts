/**
 * The GVT device model's shadowing (XenGT in a Xen backend domain, KVMGT in the KVM host): it mirrors
 * each guest GGTT slice and PPGTT into shadow tables of host addresses, filled by the design's resolver.
 * It reads guest page tables through the client's p2m, write-tracks every page it mirrors, and brings
 * the shadow up to date when the hypervisor calls its `track_write` after emulating a trapped write
 * (seed 002: "shadow page needs to be notified after the emulation is finished as it should know the
 * new data written to the page to update its page hierarchy").
 */
import { frameEntry, guestEntry, NOT_PRESENT, ownRamFrame } from '../guestPages.ts';
import { GVT_NOTIFIER } from '../world.ts';
import { addPage, removePage, unregisterNotifier } from '../pageTrack.ts';
import { protectAdd, protectRelease, protectShare, protectTableOf } from '../protectTable.ts';
import type { State } from '../../core/state.ts';
import type { MirroredPage, ShadowEntry, ShadowPpgtt, ShadowPt } from '../state.ts';
import type { ShadowResolver } from './shadowResolver.ts';
import { isShadowEntry } from './shadowResolver.ts';
import type { OpContext, OpResult } from '../../core/op.ts';
import { fail } from '../../core/op.ts';
import { PT_ENTRIES } from '../sizes.ts';

/** Fill one shadow entry for the client's GFN; null (the scratch page) when not present or refused. */
export function shadowEntry(state: State, r: ShadowResolver, client: number, gfn: number, ctx: OpContext): ShadowEntry | null {
  if (gfn === NOT_PRESENT) return null;
  const got = r.obtain(state, state.gpu.backend, client, gfn, ctx);
  return isShadowEntry(got) ? got : null;
}

/** Give back what a shadow entry holds. */
export function releaseEntry(state: State, r: ShadowResolver, e: ShadowEntry | null): void {
  if (e !== null) r.release(state, state.gpu.backend, e);
}

/** The device model's record of the frame it reads a guest page from, now. */
function mirrorNow(state: State, client: number, gfn: number): MirroredPage {
  const mfn = ownRamFrame(state, client, gfn);
  return mfn === undefined ? { gfn, mfn: -1, gen: 0 } : { gfn, mfn, gen: state.frames[mfn].gen };
}

/**
 * Write-track a page one more shadow structure mirrors. With KVMGT's protect table, a page the vGPU
 * already protects is not tracked again (intel_gvt_page_track_add); otherwise kvm_page_track_add_page,
 * with what KVM logs when a counter is full (the void API hides it).
 */
function track(state: State, client: number, gfn: number, ctx: OpContext): boolean {
  const table = protectTableOf(state, client);
  if (table !== undefined && protectShare(table, gfn)) return true;
  const t = addPage(state, client, gfn);
  if (t === 'no-slot') {
    ctx.note('pt-page-outside-memslots');
    return false;
  }
  if (t === 'at-limit') {
    ctx.note('track-counter-at-width-limit');
    ctx.warn(`WARN_ON(val + count > ${state.pageTrack!.counterMax}): dom${client} gfn ${gfn} write-track counter full, increment dropped`);
  }
  if (table !== undefined) protectAdd(table, gfn);
  return true;
}

/**
 * One shadow structure stops mirroring a page. With the protect table, KVM hears of it only when the
 * last structure goes, and not at all for a page the table no longer holds (intel_gvt_page_track_remove:
 * not write-protected → 0); otherwise kvm_page_track_remove_page, with KVM's warning at zero.
 */
function untrack(state: State, client: number, gfn: number, ctx: OpContext): void {
  const table = protectTableOf(state, client);
  if (table !== undefined && protectRelease(table, gfn) !== 'last') return;
  if (removePage(state, client, gfn) === 'underflow') {
    ctx.note('track-counter-underflow');
    ctx.warn(`WARN_ON(val + count < 0): dom${client} gfn ${gfn} write-track counter already zero`);
  }
}

/** Write-track the guest page-table page at `gfn` and shadow it; null when it is not RAM or cannot be tracked. */
export function shadowPt(state: State, r: ShadowResolver, client: number, gfn: number, ctx: OpContext): ShadowPt | null {
  const m = mirrorNow(state, client, gfn);
  if (m.mfn < 0 || !track(state, client, gfn, ctx)) return null;
  const entries: (ShadowEntry | null)[] = [];
  for (let j = 0; j < PT_ENTRIES; j++) entries.push(shadowEntry(state, r, client, frameEntry(state, m.mfn, j), ctx));
  // Field by field rather than a spread of `m` (faster; the same fields in the same order).
  return { gfn: m.gfn, mfn: m.mfn, gen: m.gen, entries };
}

/** Drop a shadow page table: give back its entries and stop tracking the guest page. */
export function releasePt(state: State, r: ShadowResolver, client: number, pt: ShadowPt, ctx: OpContext): void {
  for (const e of pt.entries) releaseEntry(state, r, e);
  untrack(state, client, pt.gfn, ctx);
}

/** Shadow a PPGTT whose root (page directory) is the guest page at `root`. */
export function shadowPpgtt(state: State, r: ShadowResolver, client: number, root: number, ctx: OpContext): ShadowPpgtt | OpResult {
  const m = mirrorNow(state, client, root);
  if (m.mfn < 0) return fail('EINVAL');
  if (!track(state, client, root, ctx)) return fail('EINVAL');
  const pts: (ShadowPt | null)[] = [];
  for (let i = 0; i < PT_ENTRIES; i++) {
    const pt = frameEntry(state, m.mfn, i);
    pts.push(pt === NOT_PRESENT ? null : shadowPt(state, r, client, pt, ctx));
  }
  return { root: m, pts };
}

/** Drop a shadow PPGTT: its page tables, then the tracking of its root. */
export function releasePpgtt(state: State, r: ShadowResolver, client: number, p: ShadowPpgtt, ctx: OpContext): void {
  for (const pt of p.pts) if (pt !== null) releasePt(state, r, client, pt, ctx);
  untrack(state, client, p.root.gfn, ctx);
}

/**
 * The device model's `track_write`: the guest's write of entry `index` of its page at `gfn` has been
 * emulated; re-read that entry wherever a shadow mirrors the page — a root's PD entry (re-shadow the
 * page table it names) or a page table's entry (re-resolve the leaf).
 */
export function trackWrite(state: State, r: ShadowResolver, client: number, gfn: number, index: number, ctx: OpContext): void {
  const vgpu = state.gpu.shadow?.vgpus[client];
  if (vgpu === undefined) return;
  for (const p of vgpu.ppgtts) {
    if (p === null) continue;
    // New translations are taken before old ones are given back, so a frame never drops to no reference mid-update.
    let rebuilt: ShadowPt | null = null;
    if (p.root.gfn === gfn) {
      p.root = mirrorNow(state, client, gfn);
      const old = p.pts[index];
      const next = guestEntry(state, client, gfn, index);
      rebuilt = next === NOT_PRESENT ? null : shadowPt(state, r, client, next, ctx);
      if (old !== null) releasePt(state, r, client, old, ctx);
      p.pts[index] = rebuilt;
    }
    for (const pt of p.pts) {
      if (pt === null || pt === rebuilt || pt.gfn !== gfn) continue;
      const m = mirrorNow(state, client, gfn);
      pt.mfn = m.mfn;
      pt.gen = m.gen;
      const old = pt.entries[index];
      pt.entries[index] = shadowEntry(state, r, client, guestEntry(state, client, gfn, index), ctx);
      releaseEntry(state, r, old);
    }
  }
}

/**
 * Release and clear every shadow entry (GGTT and PPGTT leaves) translating one of the client's GFNs in
 * [lo, hi). A range rather than a predicate: no closure is made per call.
 */
export function dropEntries(state: State, r: ShadowResolver, client: number, lo: number, hi: number): void {
  const sh = state.gpu.shadow!;
  for (let i = 0; i < sh.ggtt.length; i++) {
    const e = sh.ggtt[i];
    if (e !== null && e.client === client && e.gfn >= lo && e.gfn < hi) {
      releaseEntry(state, r, e);
      sh.ggtt[i] = null;
    }
  }
  // vGPUs are keyed by domain id: walk ids in order (the record's key order).
  for (let dom = 0; dom < state.domains.length; dom++) {
    const vgpu = sh.vgpus[dom];
    if (vgpu === undefined) continue;
    for (const p of vgpu.ppgtts) {
      if (p === null) continue;
      for (const pt of p.pts) {
        if (pt === null) continue;
        for (let j = 0; j < pt.entries.length; j++) {
          const e = pt.entries[j];
          if (e !== null && e.client === client && e.gfn >= lo && e.gfn < hi) {
            releaseEntry(state, r, e);
            pt.entries[j] = null;
          }
        }
      }
    }
  }
}

/**
 * Paolo Bonzini's alternative (seed 002, 2016-02-19): hook the host's memory management rather than
 * the CPU alone, so the device model also learns when a guest page is discarded (ballooned out). It
 * drops every translation of the page and forgets what it mirrored from it; the page stays tracked,
 * so the guest's next writes to a page there are seen again.
 */
export function invalidateGfn(state: State, r: ShadowResolver, client: number, gfn: number, ctx: OpContext): void {
  dropEntries(state, r, client, gfn, gfn + 1);
  const vgpu = state.gpu.shadow!.vgpus[client];
  if (vgpu === undefined) return;
  for (const p of vgpu.ppgtts) {
    if (p === null) continue;
    if (p.root.gfn === gfn) {
      for (let i = 0; i < p.pts.length; i++) {
        const pt = p.pts[i];
        if (pt !== null) releasePt(state, r, client, pt, ctx);
        p.pts[i] = null;
      }
      p.root = { gfn, mfn: -1, gen: 0 };
    }
    for (const pt of p.pts) {
      if (pt === null || pt.gfn !== gfn) continue;
      for (let j = 0; j < pt.entries.length; j++) {
        releaseEntry(state, r, pt.entries[j]);
        pt.entries[j] = null;
      }
      pt.mfn = -1;
      pt.gen = 0;
    }
  }
}

/** Whether `gfn` lies in [base, base + npages). */
function inRange(gfn: number, base: number, npages: number): boolean {
  return gfn >= base && gfn < base + npages;
}

/**
 * The device model's `track_flush_slot` (the notifier KVMGT added upstream for memslot changes): a
 * memslot over [base, base + npages) is about to move, so every shadow built from a GFN in it is
 * dropped — and its pages untracked — while they are still there to untrack.
 */
export function flushSlot(state: State, r: ShadowResolver, client: number, base: number, npages: number, ctx: OpContext): void {
  const sh = state.gpu.shadow!;
  const vgpu = sh.vgpus[client];
  if (vgpu !== undefined) {
    for (let i = 0; i < vgpu.ppgtts.length; i++) {
      const p = vgpu.ppgtts[i];
      if (p === null) continue;
      if (inRange(p.root.gfn, base, npages)) {
        releasePpgtt(state, r, client, p, ctx);
        vgpu.ppgtts[i] = null;
        if (sh.running?.client === client && sh.running.ppgtt === i) sh.running.ppgtt = -1;
        continue;
      }
      for (let pd = 0; pd < p.pts.length; pd++) {
        const pt = p.pts[pd];
        if (pt !== null && inRange(pt.gfn, base, npages)) {
          releasePt(state, r, client, pt, ctx);
          p.pts[pd] = null;
        }
      }
    }
  }
  dropEntries(state, r, client, base, base + npages);
}

/**
 * Tear down a client's vGPU (XenGT's vgt_release_instance, KVMGT's release): every shadow, every
 * translation of its GFNs anywhere in the GGTT, its ring and its track notifier; an idle GPU if it ran.
 */
export function releaseVgpu(state: State, r: ShadowResolver, client: number, ctx: OpContext): void {
  const sh = state.gpu.shadow;
  const vgpu = sh?.vgpus[client];
  if (sh === undefined || vgpu === undefined) return;
  for (let i = 0; i < vgpu.ppgtts.length; i++) {
    const p = vgpu.ppgtts[i];
    if (p !== null) releasePpgtt(state, r, client, p, ctx);
    vgpu.ppgtts[i] = null;
  }
  for (let k = 0; k < vgpu.vggtt.length; k++) {
    releaseEntry(state, r, sh.ggtt[vgpu.ggttBase + k]);
    sh.ggtt[vgpu.ggttBase + k] = null;
  }
  dropEntries(state, r, client, -Infinity, Infinity);
  unregisterNotifier(state, client, GVT_NOTIFIER);
  if (sh.running?.client === client) sh.running = null;
  delete sh.vgpus[client];
}
