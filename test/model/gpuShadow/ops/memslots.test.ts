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

  it('flushes the shadows built from the slot, then moves its memory and counters', () => {
    const s = tracked();
    s.pageTrack!.vms[1].memslots[0].writeTrack[3] = 1;
    const { result, ctx } = run(d, s, 'memslotMove', { dom: 1, slot: 0, base: 8 });
    expect(result).toEqual({ ok: true });
    expect(ctx.notes).toEqual(['memslot-moved-under-tracking']);
    expect(s.gpu.shadow!.vgpus[1].ppgtts).toEqual([null, null]);
    expect(s.frames[8].refcount).toBe(1);
    expect(s.domains[1].p2m.slice(0, 4)).toEqual([null, null, null, null]);
    expect(s.domains[1].p2m.slice(8, 12).map((e) => e?.mfn)).toEqual([6, 7, 8, 9]);
    expect(s.pageTrack!.vms[1].memslots[0].base).toBe(8);
    // A tracker the device model does not hold moves with the memory.
    expect(trackCount(s, 1, 11)).toBe(1);
  });

  it('v1 loses the counters of a moved slot too', () => {
    const s = shadowWorld();
    s.pageTrack!.vms[1].memslots[0].writeTrack[3] = 1;
    run(d, s, 'memslotMove', { dom: 1, slot: 0, base: 8 }, { keepTrackOnSlotUpdate: false });
    expect(trackCount(s, 1, 11)).toBe(0);
  });

  it('refuses an overlapping or occupied destination, a missing slot, a dead VM', () => {
    const s = tracked();
    expect(run(d, s, 'memslotMove', { dom: 1, slot: 0, base: 2 }).result).toEqual({ ok: false, err: 'EEXIST' });
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
