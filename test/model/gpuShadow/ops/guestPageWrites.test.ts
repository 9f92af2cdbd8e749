import { describe, expect, it } from 'vitest';
import { kvmgtPageTrack } from '../../../../src/model/gpuShadow/designs/kvmgtPageTrack.ts';
import { frameEntry } from '../../../../src/model/gpuShadow/guestPages.ts';
import { unregisterNotifier } from '../../../../src/model/gpuShadow/pageTrack.ts';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import type { State } from '../../../../src/model/core/state.ts';
import { opOf, run, shadowWorld } from '../../../fixtures/gpuShadow.ts';

const d = kvmgtPageTrack;

/** dom1 with a PPGTT rooted at gfn 0 whose PD[0] names the page table gfn 1 (empty). */
function withPpgtt(): State {
  const s = shadowWorld();
  run(d, s, 'guestWritePte', { dom: 1, gfn: 0, index: 0, value: 1 });
  run(d, s, 'ppgttCreate', { dom: 1, root: 0 });
  return s;
}

describe('guestWritePte', () => {
  it('an untracked page is plain memory: the write lands, nobody is told', () => {
    const s = shadowWorld();
    const { result, ctx } = run(d, s, 'guestWritePte', { dom: 1, gfn: 2, index: 1, value: 3 });
    expect(result).toEqual({ ok: true });
    expect(frameEntry(s, 8, 1)).toBe(3);
    expect(ctx.notes).toEqual([]);
  });

  it('a tracked page traps: emulated first, then track_write updates the shadow', () => {
    const s = withPpgtt();
    const { result, ctx } = run(d, s, 'guestWritePte', { dom: 1, gfn: 1, index: 0, value: 2 });
    expect(result).toEqual({ ok: true });
    expect(ctx.notes).toEqual(['tracked-pt-page-written-by-cpu']);
    expect(s.gpu.shadow!.vgpus[1].ppgtts[0]!.pts[0]!.entries[0]).toMatchObject({ gfn: 2, addr: 8, pinned: true });
  });

  it('with no notifier registered the write still traps, but the shadow is not updated', () => {
    const s = withPpgtt();
    unregisterNotifier(s, 1, 'gvt');
    const { ctx } = run(d, s, 'guestWritePte', { dom: 1, gfn: 1, index: 0, value: 2 });
    expect(ctx.notes).toEqual(['tracked-pt-page-written-by-cpu']);
    expect(s.gpu.shadow!.vgpus[1].ppgtts[0]!.pts[0]!.entries[0]).toBeNull();
  });

  it('refuses a dead VM, a bad index or value, a page that is not its RAM, a read-only page', () => {
    const s = shadowWorld();
    expect(run(d, s, 'guestWritePte', { dom: 1, gfn: 0, index: 2, value: 1 }).result).toEqual({ ok: false, err: 'EINVAL' });
    expect(run(d, s, 'guestWritePte', { dom: 1, gfn: 0, index: 0, value: 16 }).result).toEqual({ ok: false, err: 'EINVAL' });
    expect(run(d, s, 'guestWritePte', { dom: 1, gfn: 9, index: 0, value: 1 }).result).toEqual({ ok: false, err: 'EFAULT' });
    s.domains[1].p2m[0] = { ...s.domains[1].p2m[0]!, type: 'ram_ro' };
    expect(run(d, s, 'guestWritePte', { dom: 1, gfn: 0, index: 0, value: 1 }).result).toEqual({ ok: false, err: 'EACCES' });
    s.domains[1].state = 'dying';
    expect(run(d, s, 'guestWritePte', { dom: 1, gfn: 0, index: 0, value: 1 }).result).toEqual({ ok: false, err: 'ESRCH' });
  });

  it('resolves to a client VM, its mirrored pages first, a RAM gfn or not present', () => {
    const s = withPpgtt();
    const op = opOf(d, 'guestWritePte');
    expect(op.resolve(s, { dom: 0, page: 0, index: 1, target: 2, present: true }, DEFAULT_SCOPE)).toEqual({ dom: 1, gfn: 0, index: 1, value: 2 });
    expect(op.resolve(s, { dom: 1, page: 1, index: 0, target: 0, present: false }, DEFAULT_SCOPE)).toEqual({ dom: 2, gfn: 1, index: 0, value: -1 });
    expect(op.resolve(s, { dom: 0, page: 1, index: 0, target: 0, present: true }, DEFAULT_SCOPE)).toMatchObject({ gfn: 1 });
    s.domains[1].state = 'dead';
    s.domains[2].state = 'dead';
    expect(op.resolve(s, { dom: 0, page: 0, index: 0, target: 0, present: true }, DEFAULT_SCOPE)).toBeNull();
  });
});

describe('deviceDmaWrite', () => {
  it('an emulated device writes past page tracking: the guest copy changes, the shadow does not', () => {
    const s = withPpgtt();
    const { result, ctx } = run(d, s, 'deviceDmaWrite', { dom: 1, gfn: 0, index: 0, value: 2 });
    expect(result).toEqual({ ok: true });
    expect(ctx.notes).toEqual(['emulated-dma-into-pt-page']);
    expect(frameEntry(s, 6, 0)).toBe(2);
    expect(s.gpu.shadow!.vgpus[1].ppgtts[0]!.pts[0]).toMatchObject({ gfn: 1 });
  });

  it('with trackDeviceWrites the device model hears of it and follows', () => {
    const s = withPpgtt();
    run(d, s, 'deviceDmaWrite', { dom: 1, gfn: 0, index: 0, value: 2 }, { trackDeviceWrites: true });
    expect(s.gpu.shadow!.vgpus[1].ppgtts[0]!.pts[0]).toMatchObject({ gfn: 2 });
  });

  it('into a page no shadow mirrors it is just a write', () => {
    const s = withPpgtt();
    const { ctx } = run(d, s, 'deviceDmaWrite', { dom: 1, gfn: 3, index: 0, value: 2 });
    expect(ctx.notes).toEqual([]);
    expect(frameEntry(s, 9, 0)).toBe(2);
    expect(run(d, s, 'deviceDmaWrite', { dom: 1, gfn: 9, index: 0, value: 2 }).result).toEqual({ ok: false, err: 'EFAULT' });
  });
});
