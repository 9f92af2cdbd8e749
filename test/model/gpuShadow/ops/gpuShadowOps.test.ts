import { describe, expect, it } from 'vitest';
import { kvmgtPageTrack } from '../../../../src/model/gpuShadow/designs/kvmgtPageTrack.ts';
import { xengtShadowTranslate } from '../../../../src/model/gpuShadow/designs/xengtShadowTranslate.ts';
import { trackCount } from '../../../../src/model/gpuShadow/pageTrack.ts';
import type { State } from '../../../../src/model/core/state.ts';
import { run, shadowWorld, withDom1Ppgtt } from '../../../fixtures/gpuShadow.ts';

const d = kvmgtPageTrack;

const tracked = (): State => withDom1Ppgtt(d);

describe('decreaseReservation with the device model watching', () => {
  it('notes a shadowed page-table page or leaf going; a pin keeps the leaf frame', () => {
    const s = tracked();
    expect(run(d, s, 'decreaseReservation', { dom: 1, gfn: 1 }).ctx.notes).toContain('pt-page-ballooned-while-shadowed');
    const leaf = run(d, s, 'decreaseReservation', { dom: 1, gfn: 2 });
    expect(leaf.ctx.notes).toContain('shadowed-page-ballooned');
    expect(s.frames[8]).toMatchObject({ owner: { kind: 'dom', dom: 1 }, refcount: 1 });
  });

  it('with trackDeviceWrites the discard reaches the device model: pins and mirrors go', () => {
    const s = tracked();
    run(d, s, 'decreaseReservation', { dom: 1, gfn: 2 }, { trackDeviceWrites: true });
    expect(s.frames[8].owner).toEqual({ kind: 'free' });
    expect(s.gpu.shadow!.vgpus[1].ppgtts[0]!.pts[0]!.entries[0]).toBeNull();
    expect(run(d, s, 'decreaseReservation', { dom: 1, gfn: 9 }, { trackDeviceWrites: true }).result).toEqual({ ok: false, err: 'ENOENT' });
  });

  it('without a pin (the raw lookup) the frame is freed under the shadow', () => {
    const s = shadowWorld({ memslots: 'xen' });
    run(xengtShadowTranslate, s, 'ggttWrite', { dom: 1, index: 0, value: 2 });
    run(xengtShadowTranslate, s, 'decreaseReservation', { dom: 1, gfn: 2 });
    expect(s.frames[8].owner).toEqual({ kind: 'free' });
    expect(s.gpu.shadow!.ggtt[0]).toMatchObject({ addr: 8 });
  });
});

describe('allocations of shadowed pages', () => {
  it("notes a page-table page's frame handed out while a shadow mirrors it, and its gfn refilled", () => {
    const s = tracked();
    run(d, s, 'decreaseReservation', { dom: 1, gfn: 1 });
    expect(run(d, s, 'populatePhysmap', { dom: 2, gfn: 5, mfn: 7 }).ctx.notes).toContain('pt-page-reused-while-shadowed');
    expect(run(d, s, 'populatePhysmap', { dom: 1, gfn: 1, mfn: 20 }).ctx.notes).toContain('pt-page-reused-while-shadowed');
    expect(run(d, s, 'xenAllocPage', { mfn: 21 }).ctx.notes).not.toContain('pt-page-reused-while-shadowed');
  });
});

describe('destroyDomain with the device model told first', () => {
  it("releases the client's vGPU before its memory goes", () => {
    const s = tracked();
    s.gpu.shadow!.running = { client: 1, ppgtt: 0 };
    expect(run(d, s, 'destroyDomain', { dom: 1 }).result).toEqual({ ok: true });
    expect(s.gpu.shadow!.vgpus[1]).toBeUndefined();
    expect(s.gpu.shadow!.running).toBeNull();
    expect(trackCount(s, 1, 0)).toBe(0);
    expect(s.domains[1].state).toBe('dead');
    expect(s.frames[8].owner).toEqual({ kind: 'free' });
  });

  it('refuses dom0 and a domain that is not alive', () => {
    const s = tracked();
    expect(run(d, s, 'destroyDomain', { dom: 0 }).result).toEqual({ ok: false, err: 'EPERM' });
    expect(run(d, s, 'destroyDomain', { dom: 4 }).result).toEqual({ ok: false, err: 'ESRCH' });
  });
});
