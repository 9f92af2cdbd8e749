/**
 * The rows of docs/conformance.md that no other test pins. Each test is tagged with its row id and
 * asserts what the model does today — where that differs from the real code, the assertion is the
 * difference, so fixing the model fails the test and the row must be updated with it.
 */
import { describe, expect, it } from 'vitest';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import { xenMapForDma } from '../../src/model/core/designs/xenMapForDma.ts';
import { translateBfn } from '../../src/model/core/iommu.ts';
import { mapForeign } from '../../src/model/core/ops/foreign.ts';
import { decreaseReservation, populatePhysmap } from '../../src/model/core/ops/memory.ts';
import { setTarget } from '../../src/model/core/ops/targets.ts';
import { apply, applyOk, expectRefused, p2m, world } from '../helpers/world.ts';

describe('memory reservation', () => {
  it('[MEM-11] ballooning out a direct-MMIO GFN is EINVAL (Xen: -EPERM)', () => {
    const s = world();
    s.domains[1].p2m[7] = { mfn: 30, type: 'mmio_direct', gen: 0, counted: false };
    expectRefused(s, decreaseReservation, { dom: 1, gfn: 7 }, 'EINVAL');
  });

});

describe('foreign maps and IOMMU contexts', () => {
  it("[FGN-08] a PVH backend whose IOMMU is its p2m (backendIommu=shared-ept) reaches its foreign maps by DMA, read-write (Xen: p2m_map_foreign)", () => {
    const s = world(xenMapForDma, { backendIommu: 'shared-ept' });
    applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 2, callerGfn: 9 }, { backendIommu: 'shared-ept' });
    expect(p2m(s, 0, 9).type).toBe('foreign');
    expect(translateBfn(s, 0, 9)?.mfn).toBe(p2m(s, 1, 2).mfn);
  });

  it("[FGN-08] the proposal's separate backend table (the default) holds only what map-for-DMA put there: no foreign map in it", () => {
    const s = world();
    applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 2, callerGfn: 9 });
    expect(p2m(s, 0, 9).type).toBe('foreign');
    expect(translateBfn(s, 0, 9)).toBeUndefined();
  });

  it("[IOM-05] a PV dom0's identity IOMMU context reaches Xen's boot frames (Xen: remove_xen_ranges takes them out)", () => {
    const s = world(xenTranslateGpfn);
    expect(s.domains[0].kind).toBe('pv-dom0');
    expect(s.frames[0].owner).toEqual({ kind: 'xen' });
    expect(translateBfn(s, 0, 0)?.mfn).toBe(0);
  });

  it("[IOM-07] a PVH backend whose IOMMU is its p2m (backendIommu=shared-ept) reaches its own RAM by DMA (Xen: iommu_use_hap_pt)", () => {
    const s = world(xenMapForDma, { backendIommu: 'shared-ept' });
    expect(p2m(s, 0, 0).type).toBe('ram_rw');
    expect(translateBfn(s, 0, 0)?.mfn).toBe(p2m(s, 0, 0).mfn);
  });

  it("[IOM-07] the proposal's separate backend table (the default) does not follow the p2m: the backend's own RAM is not DMA-reachable", () => {
    const s = world();
    expect(p2m(s, 0, 0).type).toBe('ram_rw');
    expect(translateBfn(s, 0, 0)).toBeUndefined();
  });
});

describe('domains and targets', () => {
  it('[DOM-03] set_target of a PV domain is accepted (Xen: -EOPNOTSUPP unless the target is HVM)', () => {
    const s = world(xenTranslateGpfn);
    expect(s.domains[0].kind).toBe('pv-dom0');
    expect(apply(s, setTarget, { backend: 3, dom: 0 }).result).toEqual({ ok: true });
    expect(s.domains[3].targets).toEqual([0]);
  });
});
