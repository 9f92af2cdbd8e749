import { describe, expect, it } from 'vitest';
import { xenTranslateGpfn } from '../../../../src/model/core/designs/xenTranslateGpfn.ts';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import type { State } from '../../../../src/model/core/state.ts';
import { mapForeign } from '../../../../src/model/core/ops/foreign.ts';
import { endAccess, grantAccess, mapGrant, unmapGrant } from '../../../../src/model/core/ops/grants.ts';
import { decreaseReservation } from '../../../../src/model/core/ops/memory.ts';
import { apply, applyOk, expectRefused, p2m, world } from '../../../helpers/world.ts';

/** dom1 grants its gfn 2 (mfn 8) to dom0, read-write, under ref 0. */
function granted(readonly = false): State {
  const s = world();
  applyOk(s, grantAccess, { granter: 1, ref: 0, grantee: 0, gfn: 2, readonly });
  return s;
}

/** dom0's host mapping at gfn 8 and device mapping at bfn 3 of dom1's grant ref 0. */
const BOTH = { grantee: 0, granter: 1, ref: 0, readonly: false, hostGfn: 8, deviceBfn: 3 };

describe('grantAccess', () => {
  it('fills the grant entry and answers the grant reference', () => {
    const s = world();
    const { result } = applyOk(s, grantAccess, { granter: 1, ref: 2, grantee: 0, gfn: 3, readonly: true });
    expect(result).toEqual({ ok: true, value: 2 });
    expect(s.domains[1].grants[2]).toEqual({ grantee: 0, gfn: 3, readonly: true, maps: 0, pin: { hostRw: 0, hostRo: 0, devRw: 0, devRo: 0 }, mfn: -1 });
  });

  it('takes no reference: granting alone does not pin the frame', () => {
    const s = world();
    applyOk(s, grantAccess, { granter: 1, ref: 0, grantee: 0, gfn: 2, readonly: false });
    expect(s.frames[p2m(s, 1, 2).mfn].refcount).toBe(1);
  });

  it('refuses a granter that is not running (ESRCH)', () => {
    expectRefused(world(), grantAccess, { granter: 4, ref: 0, grantee: 0, gfn: 0, readonly: false }, 'ESRCH');
  });

  it('refuses granting to itself or to no such domain (EINVAL)', () => {
    const s = world();
    expectRefused(s, grantAccess, { granter: 1, ref: 0, grantee: 1, gfn: 0, readonly: false }, 'EINVAL');
    expectRefused(s, grantAccess, { granter: 1, ref: 0, grantee: 99, gfn: 0, readonly: false }, 'EINVAL');
  });

  it('refuses a grant reference outside the table (EINVAL)', () => {
    const s = world();
    for (const ref of [-1, DEFAULT_SCOPE.grantRefs]) {
      expectRefused(s, grantAccess, { granter: 1, ref, grantee: 0, gfn: 0, readonly: false }, 'EINVAL');
    }
  });

  it('refuses a grant reference in use (EBUSY)', () => {
    expectRefused(granted(), grantAccess, { granter: 1, ref: 0, grantee: 2, gfn: 0, readonly: false }, 'EBUSY');
  });

  it("refuses a gfn that is not the granter's RAM: empty, out of range, a foreign map (EINVAL)", () => {
    const s = world();
    applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 0, callerGfn: 9 });
    for (const [granter, gfn] of [[1, 9], [1, DEFAULT_SCOPE.gfns], [0, 9]]) {
      expectRefused(s, grantAccess, { granter, ref: 0, grantee: 2, gfn, readonly: false }, 'EINVAL');
    }
  });

  it('resolves the first free reference of a running granter with RAM', () => {
    const s = granted();
    const raw = { granter: 1, grantee: 0, gfn: 5, readonly: true };
    expect(grantAccess.resolve(s, raw, DEFAULT_SCOPE)).toEqual({ granter: 1, ref: 1, grantee: 0, gfn: 1, readonly: true });
    expect(grantAccess.resolve(s, { ...raw, granter: 4 }, DEFAULT_SCOPE)).toBeNull();
    s.domains[1].grants.fill({ grantee: 0, gfn: 0, readonly: false, maps: 0, pin: { hostRw: 0, hostRo: 0, devRw: 0, devRo: 0 }, mfn: -1 });
    expect(grantAccess.resolve(s, raw, DEFAULT_SCOPE)).toBeNull();
    const empty = world();
    for (let gfn = 0; gfn < 4; gfn++) applyOk(empty, decreaseReservation, { dom: 1, gfn });
    expect(grantAccess.resolve(empty, raw, DEFAULT_SCOPE)).toBeNull();
  });
});

describe('mapGrant', () => {
  it('maps host and device at once: two references, one maptrack handle, one map on the grant', () => {
    const s = granted();
    const mfn = p2m(s, 1, 2).mfn;
    const { result, notes } = applyOk(s, mapGrant, BOTH);
    expect(result).toEqual({ ok: true, value: 0 });
    expect(p2m(s, 0, 8)).toEqual({ mfn, type: 'grant_map_rw', gen: 1, counted: true, grant: { granter: 1, ref: 0 } });
    expect(s.domains[0].iommu[3]).toEqual({ mfn, gen: 1, counted: true, source: { kind: 'grant', granter: 1, ref: 0 } });
    expect(s.frames[mfn].refcount).toBe(3);
    expect(s.domains[1].grants[0]!.maps).toBe(1);
    expect(s.domains[0].maptrack).toEqual([{ granter: 1, ref: 0, readonly: false, hostGfn: 8, deviceBfn: 3 }]);
    expect(s.domains[1].grants[0]).toMatchObject({ pin: { hostRw: 1, hostRo: 0, devRw: 1, devRo: 0 }, mfn });
    expect(notes).toEqual(['grant-pin-devRw', 'grant-pin-hostRw']);
  });

  it('maps a read-only host mapping as grant_map_ro, taking one reference', () => {
    const s = granted(true);
    applyOk(s, mapGrant, { ...BOTH, readonly: true, deviceBfn: -1 });
    expect(p2m(s, 0, 8).type).toBe('grant_map_ro');
    expect(s.domains[0].iommu[3]).toBeNull();
    expect(s.frames[p2m(s, 1, 2).mfn].refcount).toBe(2);
  });

  it('notes a grant mapped a second time, and hands out the next handle', () => {
    const s = granted();
    applyOk(s, mapGrant, { ...BOTH, deviceBfn: -1 });
    const second = applyOk(s, mapGrant, { ...BOTH, hostGfn: -1 });
    expect(second.result).toEqual({ ok: true, value: 1 });
    expect(second.notes).toEqual(['grant-pin-devRw', 'grant-mapped-twice']);
    expect(s.domains[1].grants[0]!.maps).toBe(2);
  });

  it('refuses a grantee that is not running (ESRCH), and a granter that is not (GNTST_bad_domain)', () => {
    const s = world();
    applyOk(s, grantAccess, { granter: 1, ref: 0, grantee: 4, gfn: 2, readonly: false });
    expectRefused(s, mapGrant, { ...BOTH, grantee: 4 }, 'ESRCH');
    expectRefused(s, mapGrant, { ...BOTH, granter: 4 }, 'GNTST_bad_domain');
  });

  it('refuses a grant reference outside the table (GNTST_bad_gntref), or with no grant (GNTST_general_error)', () => {
    expectRefused(granted(), mapGrant, { ...BOTH, ref: DEFAULT_SCOPE.grantRefs }, 'GNTST_bad_gntref');
    expectRefused(granted(), mapGrant, { ...BOTH, ref: 1 }, 'GNTST_general_error');
  });

  it('refuses a domain the grant is not for (GNTST_general_error)', () => {
    expectRefused(granted(), mapGrant, { ...BOTH, grantee: 2, deviceBfn: -1 }, 'GNTST_general_error');
  });

  it('refuses a writable mapping of a read-only grant (GNTST_general_error)', () => {
    expectRefused(granted(true), mapGrant, BOTH, 'GNTST_general_error');
  });

  it('refuses a grant whose gfn the granter has ballooned out since (GNTST_bad_page)', () => {
    const s = granted();
    applyOk(s, decreaseReservation, { dom: 1, gfn: 2 });
    expectRefused(s, mapGrant, BOTH, 'GNTST_bad_page');
  });

  it("refuses a grant whose gfn now holds someone else's frame: no passing on a foreign map (GNTST_bad_page)", () => {
    const s = world();
    applyOk(s, grantAccess, { granter: 0, ref: 0, grantee: 3, gfn: 3, readonly: false });
    applyOk(s, decreaseReservation, { dom: 0, gfn: 3 });
    applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 0, callerGfn: 3 });
    expectRefused(s, mapGrant, { grantee: 3, granter: 0, ref: 0, readonly: false, hostGfn: 9, deviceBfn: -1 }, 'GNTST_bad_page');
  });

  it('refuses a mapping with neither a host nor a device side (GNTST_bad_gntref)', () => {
    expectRefused(granted(), mapGrant, { ...BOTH, hostGfn: -1, deviceBfn: -1 }, 'GNTST_bad_gntref');
  });

  it('refuses a host gfn that is in use or outside the p2m (EEXIST)', () => {
    const s = granted();
    for (const hostGfn of [0, DEFAULT_SCOPE.gfns]) expectRefused(s, mapGrant, { ...BOTH, hostGfn }, 'EEXIST');
  });

  it('refuses a device bfn that is in use or outside the IOMMU context (EEXIST)', () => {
    const s = granted();
    applyOk(s, mapGrant, { ...BOTH, hostGfn: -1 });
    for (const deviceBfn of [3, DEFAULT_SCOPE.bfns]) expectRefused(s, mapGrant, { ...BOTH, hostGfn: 9, deviceBfn }, 'EEXIST');
  });

  it("refuses a device mapping into a PV dom0, whose IOMMU is the fixed 1:1 (EEXIST)", () => {
    const s = world(xenTranslateGpfn);
    applyOk(s, grantAccess, { granter: 1, ref: 0, grantee: 0, gfn: 2, readonly: false });
    expectRefused(s, mapGrant, BOTH, 'EEXIST');
  });

  it('resolves a live grant for its grantee; a device side only where the grantee has its own IOMMU', () => {
    const raw = { grant: 0, host: false, device: true, readonly: false };
    expect(mapGrant.resolve(world(), raw, DEFAULT_SCOPE)).toBeNull();
    const pvh = granted();
    expect(mapGrant.resolve(pvh, raw, DEFAULT_SCOPE)).toEqual({ ...BOTH, hostGfn: -1, deviceBfn: 0 });
    const pv = world(xenTranslateGpfn);
    applyOk(pv, grantAccess, { granter: 1, ref: 0, grantee: 0, gfn: 2, readonly: false });
    expect(mapGrant.resolve(pv, raw, DEFAULT_SCOPE)).toEqual({ ...BOTH, hostGfn: 4, deviceBfn: -1 });
    const fullIommu = granted();
    fullIommu.domains[0].iommu.fill({ mfn: 2, gen: 1, counted: false, source: { kind: 'grant', granter: 2, ref: 0 } });
    expect(mapGrant.resolve(fullIommu, raw, DEFAULT_SCOPE)).toBeNull();
    const fullP2m = granted();
    fullP2m.domains[0].p2m.fill({ mfn: 2, type: 'ram_rw', gen: 1, counted: true });
    expect(mapGrant.resolve(fullP2m, { ...raw, host: true }, DEFAULT_SCOPE)).toBeNull();
    const dead = world();
    applyOk(dead, grantAccess, { granter: 1, ref: 0, grantee: 4, gfn: 2, readonly: false });
    expect(mapGrant.resolve(dead, raw, DEFAULT_SCOPE)).toBeNull();
  });
});

describe('unmapGrant', () => {
  it('drops both mappings and their references, and frees the handle for reuse', () => {
    const s = granted();
    const mfn = p2m(s, 1, 2).mfn;
    applyOk(s, mapGrant, BOTH);
    applyOk(s, unmapGrant, { grantee: 0, handle: 0, host: true, device: true });
    expect(s.domains[0].p2m[8]).toBeNull();
    expect(s.domains[0].iommu[3]).toBeNull();
    expect(s.frames[mfn].refcount).toBe(1);
    expect(s.domains[1].grants[0]!.maps).toBe(0);
    expect(s.domains[0].maptrack).toEqual([null]);
    expect(applyOk(s, mapGrant, BOTH).result).toEqual({ ok: true, value: 0 });
  });

  it('unmaps a host-only or a device-only mapping, touching only that side', () => {
    const s = granted();
    applyOk(s, mapGrant, { ...BOTH, deviceBfn: -1 });
    applyOk(s, mapGrant, { ...BOTH, hostGfn: -1 });
    applyOk(s, unmapGrant, { grantee: 0, handle: 0, host: true, device: true });
    expect(s.domains[0].p2m[8]).toBeNull();
    expect(s.domains[0].iommu[3]).not.toBeNull();
    applyOk(s, unmapGrant, { grantee: 0, handle: 1, host: true, device: true });
    expect(s.domains[0].iommu[3]).toBeNull();
    expect(s.frames[p2m(s, 1, 2).mfn].refcount).toBe(1);
  });

  it('frees the frame when the mapping was its last reference (the granter ballooned it out meanwhile)', () => {
    const s = granted();
    const mfn = p2m(s, 1, 2).mfn;
    applyOk(s, mapGrant, BOTH);
    applyOk(s, decreaseReservation, { dom: 1, gfn: 2 });
    expect(s.frames[mfn]).toMatchObject({ owner: { kind: 'dom', dom: 1 }, refcount: 2 });
    applyOk(s, unmapGrant, { grantee: 0, handle: 0, host: true, device: true });
    expect(s.frames[mfn]).toMatchObject({ owner: { kind: 'free' }, refcount: 0 });
    expect(s.domains[1].totPages).toBe(3);
  });

  it('refuses a grantee that is not running (ESRCH)', () => {
    expectRefused(granted(), unmapGrant, { grantee: 4, handle: 0, host: true, device: true }, 'ESRCH');
  });

  it('refuses a handle with no mapping (GNTST_bad_handle)', () => {
    const s = granted();
    expectRefused(s, unmapGrant, { grantee: 0, handle: 0, host: true, device: true }, 'GNTST_bad_handle');
    applyOk(s, mapGrant, BOTH);
    applyOk(s, unmapGrant, { grantee: 0, handle: 0, host: true, device: true });
    expectRefused(s, unmapGrant, { grantee: 0, handle: 0, host: true, device: true }, 'GNTST_bad_handle');
  });

  it('resolves a live mapping, or nothing', () => {
    const s = granted();
    expect(unmapGrant.resolve(s, { mapping: 0 }, DEFAULT_SCOPE)).toBeNull();
    applyOk(s, mapGrant, BOTH);
    // A mapping with both halves offers both, host only and device only; one with a single half offers that.
    expect([0, 1, 2, 3].map((mapping) => unmapGrant.resolve(s, { mapping }, DEFAULT_SCOPE))).toEqual([
      { grantee: 0, handle: 0, host: true, device: true },
      { grantee: 0, handle: 0, host: true, device: false },
      { grantee: 0, handle: 0, host: false, device: true },
      { grantee: 0, handle: 0, host: true, device: true },
    ]);
    applyOk(s, unmapGrant, { grantee: 0, handle: 0, host: true, device: false });
    expect(unmapGrant.resolve(s, { mapping: 7 }, DEFAULT_SCOPE)).toEqual({ grantee: 0, handle: 0, host: false, device: true });
  });
});

describe('endAccess', () => {
  it('revokes an unmapped grant', () => {
    const s = granted();
    applyOk(s, endAccess, { granter: 1, ref: 0 });
    expect(s.domains[1].grants[0]).toBeNull();
  });

  it('refuses while the grant is mapped (EBUSY), noting the attempt, and succeeds once unmapped', () => {
    const s = granted();
    applyOk(s, mapGrant, BOTH);
    expect(expectRefused(s, endAccess, { granter: 1, ref: 0 }, 'EBUSY').notes).toEqual(['end-access-while-mapped']);
    applyOk(s, unmapGrant, { grantee: 0, handle: 0, host: true, device: true });
    expect(apply(s, endAccess, { granter: 1, ref: 0 }).result.ok).toBe(true);
  });

  it('refuses a granter that is not running (ESRCH)', () => {
    expectRefused(granted(), endAccess, { granter: 4, ref: 0 }, 'ESRCH');
  });

  it('refuses a reference with no grant (ENOENT)', () => {
    const s = granted();
    for (const ref of [1, DEFAULT_SCOPE.grantRefs]) expectRefused(s, endAccess, { granter: 1, ref }, 'ENOENT');
  });

  it('resolves a live grant, or nothing', () => {
    expect(endAccess.resolve(world(), { grant: 0 }, DEFAULT_SCOPE)).toBeNull();
    expect(endAccess.resolve(granted(), { grant: 5 }, DEFAULT_SCOPE)).toEqual({ granter: 1, ref: 0 });
  });
});
