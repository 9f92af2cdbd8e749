import { describe, expect, it } from 'vitest';
import { confinedTo, gpuReachesOnlyOwnVm } from '../../../invariants/gpuShadow/gpuReachesOnlyOwnVm.ts';
import { kvmgtPageTrack } from '../../../src/model/gpuShadow/designs/kvmgtPageTrack.ts';
import { xengtShadowTranslate } from '../../../src/model/gpuShadow/designs/xengtShadowTranslate.ts';
import { derive } from '../../../src/model/derived.ts';
import type { State } from '../../../src/model/core/state.ts';
import { run, shadowWorld, withDom1Ppgtt } from '../../fixtures/gpuShadow.ts';

const check = (s: State) => gpuReachesOnlyOwnVm.check(derive(s));

/** dom1 maps gfn 2 in PPGTT 0 and gfn 3 at GGTT 0, dom2 gfn 0 at GGTT 4; dom1's context runs. */
function running(design = kvmgtPageTrack): State {
  const s = withDom1Ppgtt(design, shadowWorld({ memslots: design === kvmgtPageTrack ? 'kvm' : 'xen' }));
  run(design, s, 'ggttWrite', { dom: 1, index: 0, value: 3 });
  run(design, s, 'ggttWrite', { dom: 2, index: 4, value: 0 });
  run(design, s, 'gpuContextSwitch', { client: 1, ppgtt: 0 });
  return s;
}

describe('gpu-reaches-only-own-vm', () => {
  it('holds when the running VM and every aperture reach only their own frames', () => {
    expect(check(running())).toEqual([]);
  });

  it("holds for a pinned page the guest ballooned out: the frame is still the VM's", () => {
    const s = running();
    run(kvmgtPageTrack, s, 'decreaseReservation', { dom: 1, gfn: 2 });
    expect(check(s)).toEqual([]);
  });

  it('is violated when the running VM reaches a frame freed under a raw-MFN shadow entry', () => {
    const s = running(xengtShadowTranslate);
    run(xengtShadowTranslate, s, 'decreaseReservation', { dom: 1, gfn: 2 });
    const w = check(s);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ reason: 'gpu-reaches-outside-running-vm', dom: 1, mfn: 8, principal: { kind: 'gpu', dom: 0, client: 1 }, frame: { owner: { kind: 'free' } } });
    expect(w[0].path!.map((h) => h.via)).toEqual(['shadowPpgtt', 'iommu']);
    expect(gpuReachesOnlyOwnVm.describe(w[0])).toMatch(/dom0 GPU \(running dom1\) → shadow PPGTT 0 of dom1 gma 0x0 \(dom1 gfn 0x2 → mfn 0x8\) → dom0 IOMMU 1:1 bfn 0x8 → mfn 0x8 \(owner free, gen 1\): a free frame/);
  });

  it("is violated by an unaudited command naming another VM's slice", () => {
    const s = running();
    run(kvmgtPageTrack, s, 'submitCommand', { dom: 1, space: 'ggtt', gma: 4, write: true }, { auditCommands: false });
    const w = check(s);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ reason: 'gpu-reaches-outside-running-vm', mfn: 10, frame: { owner: { kind: 'dom', dom: 2 } } });
    expect(w[0].path!.map((h) => h.via)).toEqual(['gpuCommand', 'shadowGgtt', 'iommu']);
    expect(gpuReachesOnlyOwnVm.describe(w[0])).toMatch(/dom2's memory, not dom1's$/);
  });

  it("is violated through the aperture when a VM's slice names another VM's page", () => {
    const s = running();
    run(kvmgtPageTrack, s, 'ggttWrite', { dom: 1, index: 5, value: 3 }, { checkGgttPartition: false });
    const w = check(s).filter((x) => x.reason === 'aperture-reaches-outside-vm');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ principal: { kind: 'cpu', dom: 2 }, dom: 2, mfn: 9 });
    expect(w[0].path![0]).toEqual({ via: 'aperture', dom: 2, gma: 5 });
  });

  it("is violated for Xen's own frame", () => {
    const s = running(xengtShadowTranslate);
    run(xengtShadowTranslate, s, 'decreaseReservation', { dom: 1, gfn: 3 });
    run(xengtShadowTranslate, s, 'xenAllocPage', { mfn: 9 });
    const w = check(s).filter((x) => x.mfn === 9);
    expect(w.map((x) => x.reason).sort()).toEqual(['aperture-reaches-outside-vm', 'gpu-reaches-outside-running-vm']);
    expect(gpuReachesOnlyOwnVm.describe(w[0])).toMatch(/Xen's own memory/);
  });
});

describe('gpu-reaches-only-own-vm: which paths it judges', () => {
  it('only paths through a vGPU: not a CPU p2m, not the core flat DMA table', () => {
    const gpu = { kind: 'gpu' as const, dom: 0, client: 1 };
    expect(confinedTo({ principal: gpu, mfn: 1, write: true, path: [{ via: 'shadowPpgtt', owner: 1, ppgtt: 0, gma: 0 }] })).toBe(1);
    expect(confinedTo({ principal: gpu, mfn: 1, write: true, path: [{ via: 'gpuCommand', client: 1, slot: 0, space: 'ggtt', gma: 0 }] })).toBe(1);
    expect(confinedTo({ principal: { kind: 'cpu', dom: 2 }, mfn: 1, write: true, path: [{ via: 'aperture', dom: 2, gma: 0 }] })).toBe(2);
    expect(confinedTo({ principal: gpu, mfn: 1, write: true, path: [{ via: 'dmaTable', backend: 0, client: 1, slot: 0 }] })).toBeUndefined();
    expect(confinedTo({ principal: { kind: 'cpu', dom: 2 }, mfn: 1, write: true, path: [{ via: 'p2m', dom: 2, gfn: 0 }] })).toBeUndefined();
  });
});
