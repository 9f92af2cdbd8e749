import { describe, expect, it } from 'vitest';
import type { Design } from '../../../../src/model/core/design.ts';
import { xenMapForDma } from '../../../../src/model/core/designs/xenMapForDma.ts';
import { xenTranslateGpfn } from '../../../../src/model/core/designs/xenTranslateGpfn.ts';
import { clonePlain } from '../../../../src/model/core/clone.ts';
import { firstDifference } from '../../../../src/model/core/equal.ts';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import type { DmaAddressing } from '../../../../src/model/core/ops/dmaAddress.ts';
import { mapForDma, translateGpfn } from '../../../../src/model/core/ops/dmaAddress.ts';
import { makeShadowClear, makeShadowSet, gpuDma } from '../../../../src/model/core/ops/dmaTableOps.ts';
import { grantAccess, mapGrant } from '../../../../src/model/core/ops/grants.ts';
import { decreaseReservation, populatePhysmap } from '../../../../src/model/core/ops/memory.ts';
import { apply, applyOk, expectRefused, p2m, world } from '../../../helpers/world.ts';

/** Each DMA addressing with the design (and so the backend kind) that uses it. */
const ADDRESSINGS: { name: string; addressing: DmaAddressing; design: Design }[] = [
  { name: translateGpfn.name, addressing: translateGpfn, design: xenTranslateGpfn },
  { name: mapForDma.name, addressing: mapForDma, design: xenMapForDma },
];

describe.each(ADDRESSINGS)('shadowSet / shadowClear through $name', ({ addressing, design }) => {
  const shadowSet = makeShadowSet(addressing);
  const shadowClear = makeShadowClear(addressing);
  const SET = { client: 1, slot: 0, gfn: 2 };

  it('refuses a slot outside the DMA table (EINVAL)', () => {
    const s = world(design);
    for (const slot of [-1, DEFAULT_SCOPE.dmaSlots]) expectRefused(s, shadowSet, { ...SET, slot }, 'EINVAL');
  });

  it('refuses a client or backend that is not running (ESRCH)', () => {
    const s = world(design);
    expectRefused(s, shadowSet, { ...SET, client: 4 }, 'ESRCH');
    s.domains[0].state = 'dying';
    expectRefused(s, shadowSet, SET, 'ESRCH');
  });

  it("refuses a domain not on the backend's target list (EPERM), noting it; checkTarget=false lets it through", () => {
    const s = world(design);
    const { notes } = expectRefused(s, shadowSet, { ...SET, client: 3 }, 'EPERM');
    expect(notes).toEqual(['non-target-map-refused']);
    const loose = applyOk(s, shadowSet, { ...SET, client: 3 }, { checkTarget: false });
    expect(loose.notes).toEqual([]);
    expect(s.gpu.tables[3][0]).toMatchObject({ gfn: 2 });
  });

  it("refuses a gfn that is not the client's RAM: empty, out of range, another domain's grant mapped there (EINVAL)", () => {
    const s = world(design);
    applyOk(s, grantAccess, { granter: 3, ref: 0, grantee: 1, gfn: 0, readonly: false });
    applyOk(s, mapGrant, { grantee: 1, granter: 3, ref: 0, readonly: false, hostGfn: 10, deviceBfn: -1 });
    for (const gfn of [9, DEFAULT_SCOPE.gfns, 10]) expectRefused(s, shadowSet, { ...SET, gfn }, 'EINVAL');
  });

  it('clears a slot, leaving an empty table as it was', () => {
    const s = world(design);
    const fresh = clonePlain(s);
    applyOk(s, shadowSet, SET);
    applyOk(s, shadowClear, { client: 1, slot: 0 });
    expect(firstDifference(fresh, s)).toBeUndefined();
  });

  it('refuses to clear an empty slot, a slot outside the table, or a domain with no table (ENOENT)', () => {
    const s = world(design);
    applyOk(s, shadowSet, SET);
    for (const [client, slot] of [[1, 1], [1, DEFAULT_SCOPE.dmaSlots], [3, 0]]) {
      expectRefused(s, shadowClear, { client, slot }, 'ENOENT');
    }
  });

  it('resolves a running client of a running backend, and a live slot to clear, or nothing', () => {
    const s = world(design);
    expect(shadowSet.resolve(s, { client: 1, slot: 5, gfn: 6 }, DEFAULT_SCOPE)).toEqual({ client: 1, slot: 5, gfn: 2 });
    expect(shadowSet.resolve(s, { client: 0, slot: 0, gfn: 0 }, DEFAULT_SCOPE)).toBeNull();
    expect(shadowSet.resolve(s, { client: 4, slot: 0, gfn: 0 }, DEFAULT_SCOPE)).toBeNull();
    const orphaned = world(design);
    orphaned.domains[0].state = 'dying';
    expect(shadowSet.resolve(orphaned, { client: 1, slot: 0, gfn: 0 }, DEFAULT_SCOPE)).toBeNull();
    expect(shadowClear.resolve(s, { entry: 0 }, DEFAULT_SCOPE)).toBeNull();
    applyOk(s, shadowSet, { ...SET, client: 2, slot: 4 });
    expect(shadowClear.resolve(s, { entry: 7 }, DEFAULT_SCOPE)).toEqual({ client: 2, slot: 4 });
  });
});

describe('shadowSet through translateGpfn (the 2014 lookup)', () => {
  const shadowSet = makeShadowSet(translateGpfn);

  it('stores the raw MFN at its generation and takes no reference', () => {
    const s = world(xenTranslateGpfn);
    const mfn = p2m(s, 1, 2).mfn;
    const { result } = applyOk(s, shadowSet, { client: 1, slot: 0, gfn: 2 });
    expect(result).toEqual({ ok: true, value: mfn });
    expect(s.gpu.tables[1][0]).toEqual({ gfn: 2, addr: mfn, addrKind: 'mfn', gen: 1 });
    expect(s.frames[mfn].refcount).toBe(1);
  });

  it('overwrites a slot without giving anything back', () => {
    const s = world(xenTranslateGpfn);
    applyOk(s, shadowSet, { client: 1, slot: 0, gfn: 2 });
    const before = clonePlain(s);
    applyOk(s, shadowSet, { client: 1, slot: 0, gfn: 3 });
    expect(firstDifference(before, s)).toBe('$.gpu.tables.1[0].gfn');
  });
});

describe('shadowSet through mapForDma (Tim Deegan\'s map hypercall)', () => {
  const shadowSet = makeShadowSet(mapForDma);
  const shadowClear = makeShadowClear(mapForDma);

  it("maps the frame into the backend's IOMMU at the first free BFN, taking a reference, and stores the BFN", () => {
    const s = world();
    const mfn = p2m(s, 1, 2).mfn;
    const { result } = applyOk(s, shadowSet, { client: 1, slot: 3, gfn: 2 });
    expect(result).toEqual({ ok: true, value: 0 });
    expect(s.domains[0].iommu[0]).toEqual({ mfn, gen: 1, counted: true, source: { kind: 'mapForDma', dom: 1, gfn: 2 } });
    expect(s.frames[mfn].refcount).toBe(2);
    expect(s.gpu.tables[1][3]).toEqual({ gfn: 2, addr: 0, addrKind: 'bfn', gen: 1 });
  });

  it('overwriting a slot unmaps what it held, dropping that reference', () => {
    const s = world();
    applyOk(s, shadowSet, { client: 1, slot: 0, gfn: 2 });
    applyOk(s, shadowSet, { client: 1, slot: 0, gfn: 3 });
    expect(s.domains[0].iommu.slice(0, 2)).toEqual([null, expect.objectContaining({ mfn: p2m(s, 1, 3).mfn })]);
    expect(s.frames[p2m(s, 1, 2).mfn].refcount).toBe(1);
    expect(s.frames[p2m(s, 1, 3).mfn].refcount).toBe(2);
  });

  it('clearing a slot unmaps the BFN and drops the reference', () => {
    const s = world();
    applyOk(s, shadowSet, { client: 1, slot: 0, gfn: 2 });
    applyOk(s, shadowClear, { client: 1, slot: 0 });
    expect(s.domains[0].iommu[0]).toBeNull();
    expect(s.frames[p2m(s, 1, 2).mfn].refcount).toBe(1);
  });

  it('keeps a ballooned-out frame allocated to the client until the slot is cleared', () => {
    const s = world();
    const mfn = p2m(s, 1, 2).mfn;
    applyOk(s, shadowSet, { client: 1, slot: 0, gfn: 2 });
    expect(applyOk(s, decreaseReservation, { dom: 1, gfn: 2 }).notes).toEqual(['mapped-or-shadowed-gfn-ballooned']);
    expect(s.frames[mfn]).toMatchObject({ owner: { kind: 'dom', dom: 1 }, refcount: 1 });
    applyOk(s, shadowClear, { client: 1, slot: 0 });
    expect(s.frames[mfn].owner).toEqual({ kind: 'free' });
  });

  it('refuses a PV dom0 backend, whose IOMMU is the fixed 1:1 (EOPNOTSUPP)', () => {
    expectRefused(world(xenTranslateGpfn), shadowSet, { client: 1, slot: 0, gfn: 2 }, 'EOPNOTSUPP');
  });

  it("refuses when the backend's IOMMU context has no free BFN (ENOSPC)", () => {
    const s = world();
    s.domains[0].iommu.fill({ mfn: 2, gen: 1, counted: false, source: { kind: 'grant', granter: 1, ref: 0 } });
    expectRefused(s, shadowSet, { client: 1, slot: 0, gfn: 2 }, 'ENOSPC');
  });
});

describe('gpuDma', () => {
  const viaMfn = makeShadowSet(translateGpfn);
  const viaBfn = makeShadowSet(mapForDma);
  const DMA = { client: 1, slot: 0, write: true };

  it("reaches the client's frame through the 1:1 IOMMU (raw MFN) or the mapped BFN, changing nothing", () => {
    for (const [design, shadowSet] of [[xenTranslateGpfn, viaMfn], [xenMapForDma, viaBfn]] as const) {
      const s = world(design);
      applyOk(s, shadowSet, { client: 1, slot: 0, gfn: 2 });
      const before = clonePlain(s);
      const { result, notes } = applyOk(s, gpuDma, DMA);
      expect(result).toEqual({ ok: true, value: p2m(s, 1, 2).mfn });
      expect(notes).toEqual([]);
      expect(firstDifference(before, s)).toBeUndefined();
    }
  });

  it('notes a raw MFN DMA into a frame that was ballooned out and handed to another guest (the seed\'s race)', () => {
    const s = world(xenTranslateGpfn);
    const mfn = p2m(s, 1, 2).mfn;
    applyOk(s, viaMfn, { client: 1, slot: 0, gfn: 2 });
    applyOk(s, decreaseReservation, { dom: 1, gfn: 2 });
    expect(apply(s, gpuDma, DMA).notes).toEqual(['dma-into-reallocated-frame']);
    applyOk(s, populatePhysmap, { dom: 3, gfn: 5, mfn });
    const { result, notes } = applyOk(s, gpuDma, DMA);
    expect(result).toEqual({ ok: true, value: mfn });
    expect(notes).toEqual(['dma-into-reallocated-frame']);
  });

  it('refuses a slot with no entry (ENOENT)', () => {
    const s = world();
    for (const [client, slot] of [[1, 0], [3, 0], [1, DEFAULT_SCOPE.dmaSlots]]) {
      expectRefused(s, gpuDma, { client, slot, write: false }, 'ENOENT');
    }
  });

  it("faults on a raw MFN behind a PVH backend's IOMMU, which holds only what was mapped (EFAULT)", () => {
    const s = world();
    applyOk(s, viaMfn, { client: 1, slot: 0, gfn: 2 });
    expectRefused(s, gpuDma, DMA, 'EFAULT');
    s.gpu.tables[1][0] = { ...s.gpu.tables[1][0]!, addr: DEFAULT_SCOPE.bfns };
    expectRefused(s, gpuDma, DMA, 'EFAULT');
  });

  it('faults where the 1:1 IOMMU has no RAM: an MMIO frame or beyond memory (EFAULT)', () => {
    const s = world(xenTranslateGpfn);
    s.frames[30].kind = 'mmio';
    s.gpu.tables[1][0] = { gfn: 2, addr: 30, addrKind: 'mfn', gen: 0 };
    s.gpu.tables[1][1] = { gfn: 2, addr: s.frames.length, addrKind: 'mfn', gen: 0 };
    expectRefused(s, gpuDma, DMA, 'EFAULT');
    expectRefused(s, gpuDma, { ...DMA, slot: 1 }, 'EFAULT');
  });

  it('resolves a live slot with the generated direction, or nothing', () => {
    const s = world();
    expect(gpuDma.resolve(s, { entry: 0, write: true }, DEFAULT_SCOPE)).toBeNull();
    applyOk(s, viaBfn, { client: 2, slot: 5, gfn: 0 });
    expect(gpuDma.resolve(s, { entry: 3, write: false }, DEFAULT_SCOPE)).toEqual({ client: 2, slot: 5, write: false });
  });
});
