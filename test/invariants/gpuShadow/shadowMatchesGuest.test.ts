import { describe, expect, it } from 'vitest';
import { shadowMatchesGuest } from '../../../invariants/gpuShadow/shadowMatchesGuest.ts';
import { kvmgtPageTrack } from '../../../src/model/gpuShadow/designs/kvmgtPageTrack.ts';
import { xengtShadowMap } from '../../../src/model/gpuShadow/designs/xengtShadowMap.ts';
import { xengtShadowTranslate } from '../../../src/model/gpuShadow/designs/xengtShadowTranslate.ts';
import { derive } from '../../../src/model/derived.ts';
import type { State } from '../../../src/model/core/state.ts';
import { run, shadowWorld, withDom1Ppgtt } from '../../fixtures/gpuShadow.ts';

const check = (s: State) => shadowMatchesGuest.check(derive(s));
const d = kvmgtPageTrack;

/** dom1: PPGTT rooted at gfn 0, PD[0] → gfn 1, PT[0] → gfn 2; GGTT 0 → gfn 3. */
function shadowed(design = d, world = shadowWorld()): State {
  withDom1Ppgtt(design, world);
  run(design, world, 'ggttWrite', { dom: 1, index: 0, value: 3 });
  return world;
}

describe('shadow-matches-guest', () => {
  it('holds while every change goes through tracked CPU writes and trapped GGTT writes', () => {
    const s = shadowed();
    run(d, s, 'guestWritePte', { dom: 1, gfn: 1, index: 1, value: 3 });
    run(d, s, 'guestWritePte', { dom: 1, gfn: 0, index: 1, value: 1 });
    run(d, s, 'ggttWrite', { dom: 1, index: 1, value: 0 });
    expect(check(s)).toEqual([]);
    expect(check(shadowWorld())).toEqual([]);
  });

  it('holds for a pinned leaf the guest ballooned out: the translation is still that allocation', () => {
    const s = shadowed();
    run(d, s, 'decreaseReservation', { dom: 1, gfn: 2 });
    expect(check(s)).toEqual([]);
  });

  it('is violated when an emulated device rewrites a PT entry (the thread\'s DMA into the PPGTT)', () => {
    const s = shadowed();
    run(d, s, 'deviceDmaWrite', { dom: 1, gfn: 1, index: 0, value: 3 });
    const w = check(s);
    expect(w).toEqual([{ reason: 'shadow-differs-from-guest-entry', dom: 1, holder: { via: 'shadowPpgtt', owner: 1, ppgtt: 0, gma: 0, gfn: 2 }, expected: 3, actual: 2 }]);
    expect(shadowMatchesGuest.describe(w[0])).toBe("shadow PPGTT 0 of dom1 gma 0x0 (gfn 0x2) translates gfn 0x2, but dom1's own entry says gfn 0x3");
  });

  it('is violated when an emulated device rewrites the PD entry above a shadow page table', () => {
    const s = shadowed();
    run(d, s, 'deviceDmaWrite', { dom: 1, gfn: 0, index: 0, value: -1 });
    const w = check(s);
    expect(w).toMatchObject([{ reason: 'page-table-no-longer-in-guest-pd', expected: -1, actual: 1 }]);
    expect(shadowMatchesGuest.describe(w[0])).toMatch(/shadow page table for gfn 0x1, but the guest's PD entry now says not present/);
  });

  it('is violated when the mirrored page-table page is reallocated (ballooned out, handed to another VM)', () => {
    const s = shadowed();
    run(d, s, 'decreaseReservation', { dom: 1, gfn: 1 });
    expect(check(s)).toEqual([]);
    run(d, s, 'populatePhysmap', { dom: 2, gfn: 5, mfn: 7 });
    expect(check(s)).toMatchObject([{ reason: 'shadow-differs-from-guest-entry', expected: -1, actual: 2 }]);
  });

  it('is violated when a raw-MFN translation outlives its allocation', () => {
    const s = shadowed(xengtShadowTranslate, shadowWorld({ memslots: 'xen' }));
    run(xengtShadowTranslate, s, 'decreaseReservation', { dom: 1, gfn: 3 });
    run(xengtShadowTranslate, s, 'populatePhysmap', { dom: 2, gfn: 5, mfn: 9 });
    const w = check(s);
    expect(w).toMatchObject([{ reason: 'translation-outdated', mfn: 9, expected: 1, actual: 2, holder: { via: 'shadowGgtt', index: 0 } }]);
    expect(shadowMatchesGuest.describe(w[0])).toBe('shadow GGTT entry 0 (gfn 0x3) translated mfn 0x9 (owner dom2, gen 1), which has been reallocated since (now dom2, gen 2)');
  });

  it("is violated when a GGTT shadow entry is not the slice owner's entry", () => {
    const s = shadowed();
    run(d, s, 'ggttWrite', { dom: 1, index: 4, value: 3 }, { checkGgttPartition: false });
    expect(check(s)).toMatchObject([{ reason: 'shadow-differs-from-guest-entry', dom: 2, expected: -1, actual: 3 }]);
  });

  it('is violated when a mapped BFN is no longer in the IOMMU', () => {
    const s = shadowed(xengtShadowMap, shadowWorld({ memslots: 'xen', backendKind: 'pvh' }));
    const bfn = s.gpu.shadow!.ggtt[0]!.addr;
    s.domains[0].iommu[bfn] = null;
    const w = check(s);
    expect(w).toMatchObject([{ reason: 'translation-unmapped' }]);
    expect(shadowMatchesGuest.describe(w[0])).toMatch(/no longer maps/);
  });
});
