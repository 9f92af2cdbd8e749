/**
 * KVM's page-track notifier split from the write that triggers it (seed 002): the guest CPU's store
 * to a write-tracked page traps and is emulated (`emulator_write_phys`), and only then does
 * `kvm_page_track_write` call each notifier's `track_write` — so between the two another CPU may run
 * the device model's `remove_page` path (the guest retires the PPGTT: the shadow is freed and its
 * pages untracked). Two phases: 'emulate write', then 'track_write'. What the notifier does about the
 * window is the knob `trackWriteLookup`:
 *  - 'in-notifier' (KVMGT: `kvmgt_page_track_write` takes `vgpu_lock` and looks the shadow page up by
 *    GFN when it runs; a shadow removed meanwhile is simply not found) — sound;
 *  - 'lock-held': the vGPU lock is held from the emulated write to the notifier's end, stated as
 *    data, so the scheduler runs no shadow-removing op in the window — sound;
 *  - 'before-unlock': the shadow page is looked up before the window and used after it (a handler
 *    that drops the lock to pin a page, say) — it writes a fresh pinned entry into a freed shadow
 *    page, and that pin is never dropped (racy).
 */
import { GVT_NOTIFIER } from '../world.ts';
import { guestEntry, NOT_PRESENT, writeFrameEntry } from '../guestPages.ts';
import { trackCount } from '../pageTrack.ts';
import { knobReader } from '../../core/design.ts';
import type { OpDef } from '../../core/op.ts';
import { OK } from '../../core/op.ts';
import type { LockName } from '../../core/phase.ts';
import { definePhasedOp } from '../../core/phase.ts';
import type { State } from '../../core/state.ts';
import { shadowPt, trackWrite } from './deviceModel.ts';
import { checkPageWrite, PAGE_WRITE_GEN, resolvePageWrite } from './guestPageWrites.ts';
import { isAlive } from '../../core/lookup.ts';
import type { ShadowResolver } from './shadowResolver.ts';
import { isShadowEntry } from './shadowResolver.ts';

/** How the notifier finds the shadow it updates, relative to the window before it runs. */
export type TrackWriteLookup = 'in-notifier' | 'lock-held' | 'before-unlock';

/** The knob picking a design's `TrackWriteLookup`. */
export const TRACK_WRITE_KNOBS = {
  trackWriteLookup: {
    description:
      "when track_write finds the shadow page it updates, relative to the window between the emulated write and the notifier: in-notifier (KVMGT: under vgpu_lock when it runs), lock-held (the vGPU lock held across the window: shadow removal waits), before-unlock (found before the window, used after it: racy)",
    values: ['in-notifier', 'lock-held', 'before-unlock'] as TrackWriteLookup[],
    default: 'in-notifier' as TrackWriteLookup,
  },
} as const;

/** `{ trackWriteLookup }` under a run's knob values. */
export const trackWriteConfig = knobReader(TRACK_WRITE_KNOBS);

/** The device model's per-vGPU lock (KVMGT's `vgpu_lock`), as phases and ops name it. */
export function vgpuLock(dom: number): LockName {
  return `vgpu:d${dom}`;
}

/** Ops that change a VM's shadows (build, free, re-shadow): they take its vGPU lock, read from their `dom`. */
export const VGPU_LOCKING_OPS: ReadonlySet<string> = new Set([
  'guestWritePte',
  'deviceDmaWrite',
  'ppgttCreate',
  'ppgttDestroy',
  'ggttWrite',
  'memslotMove',
  'decreaseReservation',
  'destroyDomain',
]);

/** `ops` with the vGPU lock declared on each op that changes a VM's shadows. */
export function withVgpuLocks(ops: readonly OpDef[]): OpDef[] {
  return ops.map((op) =>
    op.locks !== undefined || !VGPU_LOCKING_OPS.has(op.name)
      ? op
      : { ...op, locks: (_s: State, a: Record<string, unknown>) => (typeof a.dom === 'number' ? [vgpuLock(a.dom)] : []) },
  );
}

/**
 * Where `dom`'s shadows mirror the guest page `gfn`, as (ppgtt, page-directory index) pairs,
 * flattened: a shadow page table's position, or (ppgtt, -1) for a shadow page directory (the root).
 */
function shadowPagesOf(state: State, dom: number, gfn: number): number[] {
  const out: number[] = [];
  const vgpu = state.gpu.shadow?.vgpus[dom];
  if (vgpu === undefined) return out;
  vgpu.ppgtts.forEach((p, i) => {
    if (p === null) return;
    if (p.root.gfn === gfn) out.push(i, -1);
    p.pts.forEach((pt, j) => void (pt !== null && pt.gfn === gfn && out.push(i, j)));
  });
  return out;
}

/** Whether the shadow page found at (ppgtt, pd) before the window still mirrors `gfn`. */
function stillThere(state: State, dom: number, gfn: number, ppgtt: number, pd: number): boolean {
  const p = state.gpu.shadow?.vgpus[dom]?.ppgtts[ppgtt];
  if (p === null || p === undefined) return false;
  if (pd < 0) return p.root.gfn === gfn;
  const pt = p.pts[pd];
  return pt !== null && pt !== undefined && pt.gfn === gfn;
}

/** `guestWritePte` with its track_write notifier as a second phase. */
export function makePhasedGuestWritePte(r: ShadowResolver) {
  return definePhasedOp({
    name: 'guestWritePte',
    actor: 'guest',
    weight: 4,
    doc: 'guest CPU writes entry index of its page gfn; a write-tracked page traps and is emulated, and track_write runs as a later phase (another CPU may remove the shadow in between)',
    gen: PAGE_WRITE_GEN,
    resolve: resolvePageWrite,
    enabled: (state, a) => isAlive(state, a.dom),
    key: ({ dom }) => `guestWritePte:d${dom}`,
    locks: (_s, { dom }) => [vgpuLock(dom)],
    begin(state, a, ctx) {
      const mfn = checkPageWrite(state, a);
      if (typeof mfn !== 'number') return { done: mfn };
      const tracked = trackCount(state, a.dom, a.gfn) > 0;
      writeFrameEntry(state, mfn, a.index, a.value);
      if (!tracked) return { done: OK };
      ctx.note('tracked-pt-page-written-by-cpu');
      if (!state.pageTrack!.vms[a.dom].notifiers.includes(GVT_NOTIFIER)) return { done: OK };
      const how = trackWriteConfig(ctx.knobs).trackWriteLookup;
      const saved = how === 'before-unlock' ? shadowPagesOf(state, a.dom, a.gfn) : [];
      // The write is done and answered; the notifier is what is left.
      return { pause: { next: 'track_write', cursor: 0, saved, holds: how === 'lock-held' ? [vgpuLock(a.dom)] : [], answer: OK } };
    },
    resume(state, a, at, ctx) {
      if (at.next !== 'track_write') return { done: OK };
      for (let k = 0; k + 1 < at.saved.length; k += 2) {
        if (stillThere(state, a.dom, a.gfn, at.saved[k], at.saved[k + 1])) continue;
        // The shadow page found before the window is gone: the update lands in freed memory, and what
        // it pins for the new entry — the leaf page, or the page table a PD entry names, shadowed
        // anew — is held by nothing.
        const value = guestEntry(state, a.dom, a.gfn, a.index);
        if (value === NOT_PRESENT) continue;
        ctx.note('track-write-after-shadow-freed');
        if (at.saved[k + 1] >= 0) void isShadowEntry(r.obtain(state, state.gpu.backend, a.dom, value, ctx));
        else void shadowPt(state, r, a.dom, value, ctx);
      }
      // Whatever still mirrors the page is found by GFN, as KVMGT's handler does.
      if (isAlive(state, a.dom) && state.pageTrack!.vms[a.dom].notifiers.includes(GVT_NOTIFIER)) trackWrite(state, r, a.dom, a.gfn, a.index, ctx);
      return { done: OK };
    },
  });
}
