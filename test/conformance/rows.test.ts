/**
 * The rows of docs/conformance.md that no other test pins. Each test is tagged with its row id and
 * asserts what the model does today — where that differs from the real code, the assertion is the
 * difference, so fixing the model fails the test and the row must be updated with it.
 */
import { describe, expect, it } from 'vitest';
import { kvmgtPageTrack } from '../../src/model/gpuShadow/designs/kvmgtPageTrack.ts';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import { xenMapForDma } from '../../src/model/core/designs/xenMapForDma.ts';
import { translateBfn } from '../../src/model/core/iommu.ts';
import { mapForeign } from '../../src/model/core/ops/foreign.ts';
import { grantAccess, mapGrant } from '../../src/model/core/ops/grants.ts';
import { decreaseReservation, populatePhysmap } from '../../src/model/core/ops/memory.ts';
import { setTarget } from '../../src/model/core/ops/targets.ts';
import { mapRmrrsChecked } from '../../src/model/rmrr/ops/hypervisor.ts';
import { dev, recorder, v2World } from '../fixtures/rmrr.ts';
import { apply, applyOk, expectRefused, p2m, world } from '../helpers/world.ts';

/** dom1 grants its gfn 2 to dom0 read-write under ref 0. */
function granted() {
  const s = world();
  applyOk(s, grantAccess, { granter: 1, ref: 0, grantee: 0, gfn: 2, readonly: false });
  return s;
}

describe('grant tables', () => {
  it('[GNT-05] a PVH grantee may make a device-only grant map (Xen: "No device mapping in HVM domain")', () => {
    const s = granted();
    expect(s.domains[0].kind).not.toBe('pv-dom0');
    const { result } = applyOk(s, mapGrant, { grantee: 0, granter: 1, ref: 0, readonly: false, hostGfn: -1, deviceBfn: 3 });
    expect(result.ok).toBe(true);
    expect(s.domains[0].iommu[3]).toMatchObject({ mfn: p2m(s, 1, 2).mfn, source: { kind: 'grant' } });
  });

  it("[GNT-06] a PVH grantee's host grant map is not in its IOMMU context (Xen: p2m_grant_map_rw is IOMMU-mapped rw)", () => {
    const s = granted();
    applyOk(s, mapGrant, { grantee: 0, granter: 1, ref: 0, readonly: false, hostGfn: 8, deviceBfn: -1 });
    expect(p2m(s, 0, 8).type).toBe('grant_map_rw');
    expect(translateBfn(s, 0, 8)).toBeUndefined();
  });

  it('[GNT-08] the maptrack table has no limit: a grantee can keep mapping (Xen: GNTST_no_space when full)', () => {
    const s = granted();
    const handles: number[] = [];
    for (let gfn = 4; gfn < 12; gfn++) {
      const r = applyOk(s, mapGrant, { grantee: 0, granter: 1, ref: 0, readonly: false, hostGfn: gfn, deviceBfn: -1 });
      handles.push((r.result as { value: number }).value);
    }
    expect(handles).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(s.domains[0].maptrack.length).toBe(8);
  });

  it('[GNT-12] a grant keeps one unbounded map counter, not pin counts per kind (Xen: GNTPIN_* fields with overflow checks)', () => {
    const s = granted();
    applyOk(s, mapGrant, { grantee: 0, granter: 1, ref: 0, readonly: false, hostGfn: 8, deviceBfn: 3 });
    applyOk(s, mapGrant, { grantee: 0, granter: 1, ref: 0, readonly: true, hostGfn: 9, deviceBfn: -1 });
    expect(s.domains[1].grants[0]).toEqual({ grantee: 0, gfn: 2, readonly: false, maps: 2 });
  });

  it("[GNT-14] a further map of a pinned grant re-reads the granter's p2m (Xen: maps act->mfn, fixed at first pin)", () => {
    const s = granted();
    applyOk(s, mapGrant, { grantee: 0, granter: 1, ref: 0, readonly: false, hostGfn: 8, deviceBfn: -1 });
    applyOk(s, decreaseReservation, { dom: 1, gfn: 2 });
    // Xen would map the pinned frame again; the model finds the GFN empty.
    expectRefused(s, mapGrant, { grantee: 0, granter: 1, ref: 0, readonly: false, hostGfn: 9, deviceBfn: -1 }, 'EINVAL');
  });

  it('[GNT-16] a writable device map takes one general reference and no page-type reference (Xen: get_page_type PGT_writable_page)', () => {
    const s = granted();
    const mfn = p2m(s, 1, 2).mfn;
    const before = { ...s.frames[mfn] };
    applyOk(s, mapGrant, { grantee: 0, granter: 1, ref: 0, readonly: false, hostGfn: -1, deviceBfn: 3 });
    expect(s.frames[mfn]).toEqual({ ...before, refcount: before.refcount + 1 });
    expect(Object.keys(s.frames[mfn]).sort()).toEqual(['freedAt', 'gen', 'kind', 'owner', 'refcount']);
  });
});

describe('memory reservation', () => {
  it('[MEM-11] ballooning out a direct-MMIO GFN is EINVAL (Xen: -EPERM)', () => {
    const s = world();
    s.domains[1].p2m[7] = { mfn: 30, type: 'mmio_direct', gen: 0, counted: false };
    expectRefused(s, decreaseReservation, { dom: 1, gfn: 7 }, 'EINVAL');
  });

  it('[MEM-13] populate and decrease take one GFN per call and run to the end (Xen: extent lists with continuations)', () => {
    expect(Object.keys(populatePhysmap.gen).sort()).toEqual(['dom', 'gfn', 'mfn']);
    expect(Object.keys(decreaseReservation.gen).sort()).toEqual(['dom', 'gfn']);
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

  it('[DOM-04] set_target re-targets a domain that already has a target (Xen: set-once, -EINVAL)', () => {
    const s = world();
    applyOk(s, setTarget, { backend: 3, dom: 1 });
    applyOk(s, setTarget, { backend: 3, dom: 2 });
    expect(s.domains[3].targets).toEqual([2]);
  });
});

describe('RMRR identity maps', () => {
  it('[PCI-06] an emulated-MMIO entry at an RMRR GFN is a conflict (Xen: p2m_mmio_dm counts as unoccupied)', () => {
    const s = v2World();
    s.domains[2].p2m[12] = { mfn: 12, type: 'mmio_dm', gen: 0, counted: false };
    expect(mapRmrrsChecked(s, s.platform!, 2, dev(s, 'igd0'), 'fail', recorder())).toEqual({ ok: false, err: 'EBUSY' });
  });
});

describe('KVMGT', () => {
  it("[KGT-06] no op lets the VMM unmap a pinned IOVA range under the vGPU (vfio's intel_vgpu_dma_unmap)", () => {
    const names = kvmgtPageTrack.ops.map((o) => o.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => /vfio|dmaUnmap|iovaUnmap/i.test(n))).toEqual([]);
  });
});
