import { describe, expect, it } from 'vitest';
import { kvmgtPageTrack } from '../../../../src/model/gpuShadow/designs/kvmgtPageTrack.ts';
import { trackCount } from '../../../../src/model/gpuShadow/pageTrack.ts';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import { opOf, run, shadowWorld } from '../../../fixtures/gpuShadow.ts';

const d = kvmgtPageTrack;

describe('ppgttCreate', () => {
  it('shadows the announced root into the first free slot and answers the slot', () => {
    const s = shadowWorld();
    expect(run(d, s, 'ppgttCreate', { dom: 1, root: 2 }).result).toEqual({ ok: true, value: 0 });
    expect(run(d, s, 'ppgttCreate', { dom: 1, root: 3 }).result).toEqual({ ok: true, value: 1 });
    expect(s.gpu.shadow!.vgpus[1].ppgtts.map((p) => p?.root.gfn)).toEqual([2, 3]);
    expect(trackCount(s, 1, 2)).toBe(1);
  });

  it('notes a root another shadow already mirrors', () => {
    const s = shadowWorld();
    run(d, s, 'ppgttCreate', { dom: 1, root: 2 });
    expect(run(d, s, 'ppgttCreate', { dom: 1, root: 2 }).ctx.notes).toEqual(['pt-page-shared-by-shadows']);
    expect(trackCount(s, 1, 2)).toBe(2);
  });

  it('refuses: no room, no vGPU, dead VM, gfn out of range or not RAM', () => {
    const s = shadowWorld();
    run(d, s, 'ppgttCreate', { dom: 1, root: 0 });
    run(d, s, 'ppgttCreate', { dom: 1, root: 1 });
    expect(run(d, s, 'ppgttCreate', { dom: 1, root: 2 }).result).toEqual({ ok: false, err: 'ENOSPC' });
    expect(run(d, s, 'ppgttCreate', { dom: 3, root: 0 }).result).toEqual({ ok: false, err: 'ENOENT' });
    expect(run(d, s, 'ppgttCreate', { dom: 2, root: 99 }).result).toEqual({ ok: false, err: 'EINVAL' });
    expect(run(d, s, 'ppgttCreate', { dom: 2, root: 9 }).result).toEqual({ ok: false, err: 'EINVAL' });
    s.domains[2].state = 'dying';
    expect(run(d, s, 'ppgttCreate', { dom: 2, root: 0 }).result).toEqual({ ok: false, err: 'ESRCH' });
  });

  it('resolves to a client and one of its RAM pages', () => {
    const s = shadowWorld();
    expect(opOf(d, 'ppgttCreate').resolve(s, { dom: 1, root: 5 }, DEFAULT_SCOPE)).toEqual({ dom: 2, root: 1 });
  });
});

describe('ppgttDestroy', () => {
  it('drops the shadow, untracks its pages, and the running context loses it', () => {
    const s = shadowWorld();
    run(d, s, 'ppgttCreate', { dom: 1, root: 2 });
    s.gpu.shadow!.running = { client: 1, ppgtt: 0 };
    expect(run(d, s, 'ppgttDestroy', { dom: 1, ppgtt: 0 }).result).toEqual({ ok: true });
    expect(s.gpu.shadow!.vgpus[1].ppgtts).toEqual([null, null]);
    expect(s.gpu.shadow!.running).toEqual({ client: 1, ppgtt: -1 });
    expect(trackCount(s, 1, 2)).toBe(0);
  });

  it('refuses a PPGTT that is not there, and a dead VM', () => {
    const s = shadowWorld();
    expect(run(d, s, 'ppgttDestroy', { dom: 1, ppgtt: 0 }).result).toEqual({ ok: false, err: 'ENOENT' });
    expect(run(d, s, 'ppgttDestroy', { dom: 3, ppgtt: 0 }).result).toEqual({ ok: false, err: 'ENOENT' });
    s.domains[1].state = 'dying';
    expect(run(d, s, 'ppgttDestroy', { dom: 1, ppgtt: 0 }).result).toEqual({ ok: false, err: 'ESRCH' });
  });

  it('resolves to a live PPGTT only', () => {
    const s = shadowWorld();
    const op = opOf(d, 'ppgttDestroy');
    expect(op.resolve(s, { dom: 0, ppgtt: 0 }, DEFAULT_SCOPE)).toBeNull();
    run(d, s, 'ppgttCreate', { dom: 1, root: 2 });
    expect(op.resolve(s, { dom: 0, ppgtt: 3 }, DEFAULT_SCOPE)).toEqual({ dom: 1, ppgtt: 0 });
  });
});
