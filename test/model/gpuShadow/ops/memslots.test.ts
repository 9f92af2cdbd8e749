import { describe, expect, it } from 'vitest';
import { kvmgtPageTrack } from '../../../../src/model/gpuShadow/designs/kvmgtPageTrack.ts';
import { trackCount } from '../../../../src/model/gpuShadow/pageTrack.ts';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import type { State } from '../../../../src/model/core/state.ts';
import { moveDestinations } from '../../../../src/model/gpuShadow/ops/memslots.ts';
import { opOf, run, shadowWorld, withDom1Ppgtt } from '../../../fixtures/gpuShadow.ts';

const d = kvmgtPageTrack;

const tracked = (): State => withDom1Ppgtt(d);

describe('memslotSetFlags (KVM_MR_FLAGS_ONLY)', () => {
  it('toggles dirty logging and keeps the write-track counters (the v2 fix)', () => {
    const s = tracked();
    const { result, ctx } = run(d, s, 'memslotSetFlags', { dom: 1, slot: 0 });
    expect(result).toEqual({ ok: true });
    expect(ctx.notes).toEqual(['memslot-flags-changed-under-tracking']);
    expect(s.pageTrack!.vms[1].memslots[0].dirtyLog).toBe(true);
    expect([trackCount(s, 1, 0), trackCount(s, 1, 1)]).toEqual([1, 1]);
    run(d, s, 'memslotSetFlags', { dom: 1, slot: 0 });
    expect(s.pageTrack!.vms[1].memslots[0].dirtyLog).toBe(false);
  });

  it('v1 (keepTrackOnSlotUpdate=false) loses the counters', () => {
    const s = tracked();
    run(d, s, 'memslotSetFlags', { dom: 1, slot: 0 }, { keepTrackOnSlotUpdate: false });
    expect([trackCount(s, 1, 0), trackCount(s, 1, 1)]).toEqual([0, 0]);
  });

  it('refuses a slot that is not there and a dead VM', () => {
    const s = tracked();
    expect(run(d, s, 'memslotSetFlags', { dom: 1, slot: 2 }).result).toEqual({ ok: false, err: 'EINVAL' });
    s.domains[1].state = 'dying';
    expect(run(d, s, 'memslotSetFlags', { dom: 1, slot: 0 }).result).toEqual({ ok: false, err: 'ESRCH' });
    expect(opOf(d, 'memslotSetFlags').resolve(s, { dom: 1, slot: 0 }, DEFAULT_SCOPE)).toBeNull();
  });
});

describe('memslotMove (KVM_MR_MOVE)', () => {
  it('lists destinations clear of every slot and of guest memory', () => {
    const s = shadowWorld();
    expect(moveDestinations(s, 1, 1)).toEqual([8, 9, 10, 11, 12]);
    s.domains[1].p2m[10] = { mfn: 30, type: 'ram_rw', gen: 1, counted: true };
    expect(moveDestinations(s, 1, 1)).toEqual([11, 12]);
    expect(moveDestinations(s, 1, 5)).toEqual([]);
  });

  it("is refused while KVMGT's notifier is registered (today's KVM), and nothing changes", () => {
    const s = tracked();
    const before = structuredClone(s);
    expect(run(d, s, 'memslotMove', { dom: 1, slot: 0, base: 8 }).result).toEqual({ ok: false, err: 'EINVAL' });
    expect(s).toEqual(before);
  });

  it('with slotMove=fresh-metadata: the memory moves, the shadows stay, and the slot starts with zeroed counters', () => {
    const s = tracked();
    s.pageTrack!.vms[1].memslots[0].writeTrack[3] = 1;
    const { result, ctx } = run(d, s, 'memslotMove', { dom: 1, slot: 0, base: 8 }, { slotMove: 'fresh-metadata' });
    expect(result).toEqual({ ok: true });
    expect(ctx.notes).toEqual(['memslot-moved-under-tracking']);
    expect(s.gpu.shadow!.vgpus[1].ppgtts[0]).not.toBeNull();
    expect(s.domains[1].p2m.slice(0, 4)).toEqual([null, null, null, null]);
    expect(s.domains[1].p2m.slice(8, 12).map((e) => e?.mfn)).toEqual([6, 7, 8, 9]);
    expect(s.pageTrack!.vms[1].memslots[0].base).toBe(8);
    expect(s.pageTrack!.vms[1].memslots[0].writeTrack).toEqual([0, 0, 0, 0]);
  });

  it('with slotMove=fresh-metadata and vmmRemoval=drop-shadows: the shadows built from the old range go first', () => {
    const s = tracked();
    run(d, s, 'memslotMove', { dom: 1, slot: 0, base: 8 }, { slotMove: 'fresh-metadata', vmmRemoval: 'drop-shadows' });
    expect(s.gpu.shadow!.vgpus[1].ppgtts).toEqual([null, null]);
    expect(s.frames[8].refcount).toBe(1);
  });

  it('refuses an overlapping or occupied destination, a missing slot, a dead VM', () => {
    const s = tracked();
    expect(run(d, s, 'memslotMove', { dom: 1, slot: 0, base: 2 }).result).toEqual({ ok: false, err: 'EEXIST' });
    expect(run(d, s, 'memslotMove', { dom: 1, slot: 0, base: 2 }, { slotMove: 'fresh-metadata' }).result).toEqual({ ok: false, err: 'EEXIST' });
    expect(run(d, s, 'memslotMove', { dom: 1, slot: 0, base: 13 }).result).toEqual({ ok: false, err: 'EEXIST' });
    expect(run(d, s, 'memslotMove', { dom: 1, slot: 3, base: 8 }).result).toEqual({ ok: false, err: 'EINVAL' });
    s.domains[1].state = 'dying';
    expect(run(d, s, 'memslotMove', { dom: 1, slot: 0, base: 8 }).result).toEqual({ ok: false, err: 'ESRCH' });
  });

  it('resolves to a valid destination', () => {
    const s = shadowWorld();
    expect(opOf(d, 'memslotMove').resolve(s, { dom: 2, slot: 1, base: 6 }, DEFAULT_SCOPE)).toEqual({ dom: 2, slot: 1, base: 9 });
  });
});

describe('memslotDelete (KVM_MR_DELETE)', () => {
  it("frees the slot and its RAM; KVMGT forgets the range's protect-table entries, its shadows and pins stay", () => {
    const s = withDom1Ppgtt(d, shadowWorld({ protectTable: true }));
    expect(s.gpu.shadow!.vgpus[1].protect).toEqual([{ gfn: 0, users: 1 }, { gfn: 1, users: 1 }]);
    const { result, ctx } = run(d, s, 'memslotDelete', { dom: 1, slot: 0 });
    expect(result).toEqual({ ok: true });
    expect(ctx.notes).toEqual(['memslot-deleted-under-tracking', 'protect-table-entries-removed-under-shadows']);
    expect(s.pageTrack!.vms[1].memslots.map((m) => m.base)).toEqual([4]);
    expect(s.gpu.shadow!.vgpus[1].protect).toEqual([]);
    expect(s.gpu.shadow!.vgpus[1].ppgtts[0]!.pts[0]!.entries[0]).toMatchObject({ gfn: 2, addr: 8, pinned: true });
    expect(s.domains[1].p2m.slice(0, 4)).toEqual([null, null, null, null]);
    // The pinned page stays allocated with no GFN; the others are free.
    expect([s.frames[8].owner, s.frames[8].refcount]).toEqual([{ kind: 'dom', dom: 1 }, 1]);
    expect([6, 7, 9].map((m) => s.frames[m].owner.kind)).toEqual(['free', 'free', 'free']);
    // Releasing the shadow later does not call KVM for pages the table no longer holds.
    const after = run(d, s, 'ppgttDestroy', { dom: 1, ppgtt: 0 });
    expect(after.ctx.warnings).toEqual([]);
    expect(s.frames[8].owner.kind).toBe('free');
  });

  it('with vmmRemoval=drop-shadows the shadows built from the slot go before its memory', () => {
    const s = withDom1Ppgtt(d, shadowWorld({ protectTable: true }));
    run(d, s, 'memslotDelete', { dom: 1, slot: 0 }, { vmmRemoval: 'drop-shadows' });
    expect(s.gpu.shadow!.vgpus[1].ppgtts).toEqual([null, null]);
    expect([6, 7, 8, 9].map((m) => s.frames[m].owner.kind)).toEqual(['free', 'free', 'free', 'free']);
  });

  it('refuses a slot that is not there and a dead VM, changing nothing', () => {
    const s = tracked();
    expect(run(d, s, 'memslotDelete', { dom: 1, slot: 2 }).result).toEqual({ ok: false, err: 'EINVAL' });
    s.domains[1].state = 'dying';
    expect(run(d, s, 'memslotDelete', { dom: 1, slot: 0 }).result).toEqual({ ok: false, err: 'ESRCH' });
    expect(s.pageTrack!.vms[1].memslots.length).toBe(2);
  });
});
