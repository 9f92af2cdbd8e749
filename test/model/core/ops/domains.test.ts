import { describe, expect, it } from 'vitest';
import { xenTranslateGpfn } from '../../../../src/model/core/designs/xenTranslateGpfn.ts';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import type { State } from '../../../../src/model/core/state.ts';
import { mapForDma, translateGpfn } from '../../../../src/model/core/ops/dmaAddress.ts';
import { createDomain, destroyDomain, teardownDomain } from '../../../../src/model/core/ops/domains.ts';
import { mapForeign, unmapForeign } from '../../../../src/model/core/ops/foreign.ts';
import { makeShadowSet } from '../../../../src/model/core/ops/dmaTableOps.ts';
import { grantAccess, mapGrant, unmapGrant } from '../../../../src/model/core/ops/grants.ts';
import { setTarget } from '../../../../src/model/core/ops/targets.ts';
import { applyOk, expectRefused, p2m, world } from '../../../helpers/world.ts';

/** The frames a domain owns, by MFN. */
function owned(s: State, dom: number): number[] {
  return s.frames.flatMap((f, mfn) => (f.owner.kind === 'dom' && f.owner.dom === dom ? [mfn] : []));
}

describe('createDomain', () => {
  it('brings the spare domain id to life, empty', () => {
    const s = world();
    const { result } = applyOk(s, createDomain, { dom: 4 });
    expect(result).toEqual({ ok: true, value: 4 });
    expect(s.domains[4]).toMatchObject({ state: 'alive', kind: 'hvm', totPages: 0, targets: [] });
  });

  it('refuses an id that is running, has died, or does not exist (EEXIST): ids are never reused', () => {
    const s = world();
    applyOk(s, destroyDomain, { dom: 3 });
    for (const dom of [1, 3, 99]) expectRefused(s, createDomain, { dom }, 'EEXIST');
  });

  it('resolves the next spare id, or nothing when none is left', () => {
    const s = world();
    expect(createDomain.resolve(s, {}, DEFAULT_SCOPE)).toEqual({ dom: 4 });
    applyOk(s, createDomain, { dom: 4 });
    expect(createDomain.resolve(s, {}, DEFAULT_SCOPE)).toBeNull();
  });
});

describe('destroyDomain', () => {
  it('frees every frame of a domain nobody else references, and it is dead at once', () => {
    const s = world();
    const mine = owned(s, 3);
    s.clock = 6;
    const { notes } = applyOk(s, destroyDomain, { dom: 3 });
    expect(s.domains[3]).toMatchObject({ state: 'dead', totPages: 0 });
    expect(s.domains[3].p2m.every((e) => e === null)).toBe(true);
    for (const mfn of mine) expect(s.frames[mfn]).toMatchObject({ owner: { kind: 'free' }, refcount: 0, freedAt: 6 });
    expect(notes).toEqual([]);
  });

  it('turns a domain that owns nothing dead at once', () => {
    const s = world();
    applyOk(s, createDomain, { dom: 4 });
    applyOk(s, destroyDomain, { dom: 4 });
    expect(s.domains[4].state).toBe('dead');
  });

  it('leaves a frame another domain maps allocated: dying until that last reference goes, then dead', () => {
    const s = world();
    applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 0, callerGfn: 9 });
    const held = p2m(s, 1, 0).mfn;
    const { notes } = applyOk(s, destroyDomain, { dom: 1 });
    expect(notes).toEqual(['destroyed-domain-frames-still-held']);
    expect(s.domains[1]).toMatchObject({ state: 'dying', totPages: 1 });
    expect(owned(s, 1)).toEqual([held]);
    expect(s.frames[held].refcount).toBe(1);
    applyOk(s, unmapForeign, { caller: 0, callerGfn: 9 });
    expect(s.domains[1]).toMatchObject({ state: 'dead', totPages: 0 });
    expect(s.frames[held].owner).toEqual({ kind: 'free' });
  });

  it("keeps a granter's mapped grant alive until the grantee unmaps it; drops the unmapped ones", () => {
    const s = world();
    applyOk(s, grantAccess, { granter: 1, ref: 0, grantee: 0, gfn: 2, readonly: false });
    applyOk(s, grantAccess, { granter: 1, ref: 1, grantee: 0, gfn: 3, readonly: false });
    applyOk(s, mapGrant, { grantee: 0, granter: 1, ref: 0, readonly: false, hostGfn: 9, deviceBfn: 1 });
    applyOk(s, destroyDomain, { dom: 1 });
    expect(s.domains[1].grants).toEqual([{ grantee: 0, gfn: 2, readonly: false, maps: 1, pin: { hostRw: 1, hostRo: 0, devRw: 1, devRo: 0 }, mfn: p2m(s, 0, 9).mfn }, null, null, null]);
    expect(s.domains[1].state).toBe('dying');
    applyOk(s, unmapGrant, { grantee: 0, handle: 0, host: true, device: true });
    expect(s.domains[1].state).toBe('dead');
  });

  it('releases the mappings the destroyed domain held of others: grant maps, foreign maps, IOMMU entries', () => {
    const s = world();
    // dom2 as a domain with IOMMU tables of its own (not paging-external), so it may hold a device half.
    s.domains[2].kind = 'pvh';
    applyOk(s, grantAccess, { granter: 1, ref: 0, grantee: 2, gfn: 2, readonly: false });
    applyOk(s, mapGrant, { grantee: 2, granter: 1, ref: 0, readonly: false, hostGfn: 9, deviceBfn: 1 });
    applyOk(s, setTarget, { backend: 2, dom: 3 });
    applyOk(s, mapForeign, { caller: 2, target: 3, gfn: 0, callerGfn: 10 });
    applyOk(s, destroyDomain, { dom: 2 });
    expect(s.domains[1].grants[0]).toMatchObject({ maps: 0, pin: { hostRw: 0, hostRo: 0, devRw: 0, devRo: 0 }, mfn: -1 });
    expect(s.frames[p2m(s, 1, 2).mfn].typeCount).toBeUndefined();
    expect(s.domains[2].maptrack).toEqual([null]);
    expect(s.domains[2].iommu.every((e) => e === null)).toBe(true);
    expect(s.frames[p2m(s, 1, 2).mfn].refcount).toBe(1);
    expect(s.frames[p2m(s, 3, 0).mfn].refcount).toBe(1);
    expect(s.domains[2].state).toBe('dead');
  });

  it("has the device model drop a dying client's DMA table, giving back its map-for-DMA references", () => {
    const s = world();
    const shadowSet = makeShadowSet(mapForDma);
    applyOk(s, shadowSet, { client: 1, slot: 0, gfn: 0 });
    applyOk(s, shadowSet, { client: 1, slot: 3, gfn: 1 });
    applyOk(s, destroyDomain, { dom: 1 });
    expect(s.gpu.tables[1].every((e) => e === null)).toBe(true);
    expect(s.domains[0].iommu.every((e) => e === null)).toBe(true);
    expect(s.domains[1]).toMatchObject({ state: 'dead', totPages: 0 });
  });

  it("drops a dying client's raw-MFN table too (the device model is told of deaths, not of ballooning)", () => {
    const s = world(xenTranslateGpfn);
    applyOk(s, makeShadowSet(translateGpfn), { client: 2, slot: 1, gfn: 0 });
    applyOk(s, destroyDomain, { dom: 2 });
    expect(s.gpu.tables[2].every((e) => e === null)).toBe(true);
    expect(s.domains[2].state).toBe('dead');
  });

  it('refuses to destroy dom0 (EPERM)', () => {
    expectRefused(world(), destroyDomain, { dom: 0 }, 'EPERM');
  });

  it('refuses a domain that is not running: spare, dying or dead (ESRCH)', () => {
    const s = world();
    applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 0, callerGfn: 9 });
    applyOk(s, destroyDomain, { dom: 1 });
    applyOk(s, destroyDomain, { dom: 3 });
    for (const dom of [1, 3, 4, 99]) expectRefused(s, destroyDomain, { dom }, 'ESRCH');
  });

  it('resolves a running guest other than dom0, or nothing', () => {
    const s = world();
    expect(destroyDomain.resolve(s, { dom: 2 }, DEFAULT_SCOPE)).toEqual({ dom: 2 });
    expect(destroyDomain.resolve(s, { dom: 0 }, DEFAULT_SCOPE)).toBeNull();
    expect(destroyDomain.resolve(s, { dom: 4 }, DEFAULT_SCOPE)).toBeNull();
  });
});

describe('teardownDomain of the GPU backend', () => {
  it("empties every client's DMA table and drops each reference exactly once", () => {
    const s = world();
    const shadowSet = makeShadowSet(mapForDma);
    applyOk(s, shadowSet, { client: 1, slot: 0, gfn: 0 });
    applyOk(s, shadowSet, { client: 2, slot: 0, gfn: 0 });
    teardownDomain(s, 0);
    expect(s.gpu.tables[1].every((e) => e === null) && s.gpu.tables[2].every((e) => e === null)).toBe(true);
    expect(s.frames[p2m(s, 1, 0).mfn].refcount).toBe(1);
    expect(s.frames[p2m(s, 2, 0).mfn].refcount).toBe(1);
    expect(s.domains[0]).toMatchObject({ state: 'dead', totPages: 0 });
  });
});
