import { describe, expect, it } from 'vitest';
import { kvmgtPageTrack } from '../../../../src/model/gpuShadow/designs/kvmgtPageTrack.ts';
import { forceUnpin, pinnedGfns } from '../../../../src/model/gpuShadow/ops/vfioUnmap.ts';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import { opOf, run, shadowWorld, withDom1Ppgtt } from '../../../fixtures/gpuShadow.ts';

const d = kvmgtPageTrack;

describe('vfioDmaUnmap (intel_vgpu_dma_unmap)', () => {
  it('lists the GFNs pinned shadow entries translate, and resolves to one of them', () => {
    const s = withDom1Ppgtt(d);
    run(d, s, 'ggttWrite', { dom: 1, index: 1, value: 3 });
    expect(pinnedGfns(s, 1)).toEqual([3, 2]);
    expect(pinnedGfns(s, 2)).toEqual([]);
    expect(opOf(d, 'vfioDmaUnmap').resolve(s, { dom: 0, gfn: 1 }, DEFAULT_SCOPE)).toEqual({ dom: 1, gfn: 2 });
    expect(opOf(d, 'vfioDmaUnmap').resolve(shadowWorld(), { dom: 0, gfn: 0 }, DEFAULT_SCOPE)).toBeNull();
  });

  it('unpins only the range, and a page already unpinned is not put twice', () => {
    const s = withDom1Ppgtt(d);
    run(d, s, 'ggttWrite', { dom: 1, index: 1, value: 3 });
    expect(forceUnpin(s, 1, 3, 4)).toBe(1);
    expect([s.frames[8].refcount, s.frames[9].refcount]).toEqual([2, 1]);
    expect(forceUnpin(s, 1, 3, 4)).toBe(0);
    expect(s.frames[9].refcount).toBe(1);
    expect(run(d, s, 'vfioDmaUnmap', { dom: 1, gfn: 3 }).ctx.notes).toEqual([]);
  });

  it('with vmmRemoval=drop-shadows the entries naming the range go, giving their pins back', () => {
    const s = withDom1Ppgtt(d);
    const { result, ctx } = run(d, s, 'vfioDmaUnmap', { dom: 1, gfn: 2 }, { vmmRemoval: 'drop-shadows' });
    expect([result, ctx.notes]).toEqual([{ ok: true }, ['vfio-unmapped-under-shadow']]);
    expect(s.gpu.shadow!.vgpus[1].ppgtts[0]!.pts[0]!.entries[0]).toBeNull();
    expect(s.frames[8].refcount).toBe(1);
  });

  it('refuses a dead VM, a VM with no vGPU and a GFN outside the p2m, changing nothing', () => {
    const s = withDom1Ppgtt(d);
    const before = structuredClone(s);
    expect(run(d, s, 'vfioDmaUnmap', { dom: 3, gfn: 2 }).result).toEqual({ ok: false, err: 'ENOENT' });
    expect(run(d, s, 'vfioDmaUnmap', { dom: 1, gfn: 99 }).result).toEqual({ ok: false, err: 'EINVAL' });
    expect(s).toEqual(before);
    s.domains[1].state = 'dying';
    expect(run(d, s, 'vfioDmaUnmap', { dom: 1, gfn: 2 }).result).toEqual({ ok: false, err: 'ESRCH' });
  });
});
