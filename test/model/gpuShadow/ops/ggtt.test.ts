import { describe, expect, it } from 'vitest';
import { xengtShadowMap } from '../../../../src/model/gpuShadow/designs/xengtShadowMap.ts';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import { sliceBases } from '../../../../src/model/gpuShadow/ops/ggtt.ts';
import { opOf, run, shadowWorld } from '../../../fixtures/gpuShadow.ts';

const d = xengtShadowMap;
const world = () => shadowWorld({ backendKind: 'pvh', memslots: 'xen' });

describe('ggttWrite', () => {
  it("an entry in the VM's slice: the guest view and a mapped shadow entry", () => {
    const s = world();
    expect(run(d, s, 'ggttWrite', { dom: 2, index: 5, value: 1 }).result).toEqual({ ok: true });
    expect(s.gpu.shadow!.vgpus[2].vggtt).toEqual([-1, 1, -1, -1]);
    expect(s.gpu.shadow!.ggtt[5]).toEqual({ gfn: 1, addr: 0, addrKind: 'bfn', gen: 1, client: 2, pinned: false });
    expect(s.frames[11].refcount).toBe(2);
  });

  it('rewriting an entry gives the old mapping back', () => {
    const s = world();
    run(d, s, 'ggttWrite', { dom: 2, index: 5, value: 1 });
    run(d, s, 'ggttWrite', { dom: 2, index: 5, value: -1 });
    expect(s.gpu.shadow!.ggtt[5]).toBeNull();
    expect(s.frames[11].refcount).toBe(1);
    expect(s.domains[0].iommu[0]).toBeNull();
  });

  it("an entry outside the VM's slice is refused — unless the partition check is off", () => {
    const s = world();
    const refused = run(d, s, 'ggttWrite', { dom: 1, index: 5, value: 1 });
    expect(refused.result).toEqual({ ok: false, err: 'EACCES' });
    expect(refused.ctx.notes).toEqual(['ggtt-write-outside-partition-refused']);
    expect(s.gpu.shadow!.ggtt[5]).toBeNull();
    const accepted = run(d, s, 'ggttWrite', { dom: 1, index: 5, value: 1 }, { checkGgttPartition: false });
    expect(accepted.ctx.notes).toEqual(['ggtt-write-outside-partition-accepted']);
    expect(s.gpu.shadow!.ggtt[5]).toMatchObject({ gfn: 1, client: 1 });
    expect(s.gpu.shadow!.vgpus[2].vggtt[1]).toBe(-1);
  });

  it('refuses a bad index or value, a VM without vGPU, a dead VM', () => {
    const s = world();
    expect(run(d, s, 'ggttWrite', { dom: 1, index: 8, value: 1 }).result).toEqual({ ok: false, err: 'EINVAL' });
    expect(run(d, s, 'ggttWrite', { dom: 1, index: 0, value: 16 }).result).toEqual({ ok: false, err: 'EINVAL' });
    expect(run(d, s, 'ggttWrite', { dom: 3, index: 0, value: 1 }).result).toEqual({ ok: false, err: 'ENOENT' });
    s.domains[1].state = 'dying';
    expect(run(d, s, 'ggttWrite', { dom: 1, index: 0, value: 1 }).result).toEqual({ ok: false, err: 'ESRCH' });
  });

  it('a value the resolver refuses leaves the entry scratch', () => {
    const s = world();
    expect(run(d, s, 'ggttWrite', { dom: 1, index: 0, value: 9 }).result).toEqual({ ok: true });
    expect(s.gpu.shadow!.vgpus[1].vggtt[0]).toBe(9);
    expect(s.gpu.shadow!.ggtt[0]).toBeNull();
  });

  it('resolves own slice first, then the others', () => {
    const s = world();
    expect(sliceBases(s, 2)).toEqual([4, 0]);
    expect(sliceBases(s, 3)).toEqual([0, 4]);
    const op = opOf(d, 'ggttWrite');
    expect(op.resolve(s, { dom: 1, slice: 0, offset: 6, target: 0, present: true }, DEFAULT_SCOPE)).toEqual({ dom: 2, index: 6, value: 0 });
    expect(op.resolve(s, { dom: 0, slice: 1, offset: 1, target: 0, present: false }, DEFAULT_SCOPE)).toEqual({ dom: 1, index: 5, value: -1 });
  });
});
