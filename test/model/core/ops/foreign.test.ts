import { describe, expect, it } from 'vitest';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import { mapForeign, unmapForeign } from '../../../../src/model/core/ops/foreign.ts';
import { grantAccess, mapGrant } from '../../../../src/model/core/ops/grants.ts';
import { decreaseReservation } from '../../../../src/model/core/ops/memory.ts';
import { applyOk, expectRefused, p2m, world } from '../../../helpers/world.ts';

/** dom0 (the backend) maps its client dom1's gfn 2 at its own gfn 9. */
const MAP = { caller: 0, target: 1, gfn: 2, callerGfn: 9 };

describe('mapForeign', () => {
  it("maps a target's frame into the caller's p2m, taking a reference at the frame's generation", () => {
    const s = world();
    const mfn = p2m(s, 1, 2).mfn;
    const { notes } = applyOk(s, mapForeign, MAP);
    expect(p2m(s, 0, 9)).toEqual({ mfn, type: 'foreign', gen: 1, counted: true, foreign: { dom: 1, gfn: 2 } });
    expect(s.frames[mfn]).toMatchObject({ owner: { kind: 'dom', dom: 1 }, refcount: 2 });
    expect(s.domains[0].totPages).toBe(4);
    expect(notes).toEqual([]);
  });

  it('refuses when caller or target is not running (ESRCH)', () => {
    const s = world();
    expectRefused(s, mapForeign, { ...MAP, caller: 4 }, 'ESRCH');
    expectRefused(s, mapForeign, { ...MAP, target: 4 }, 'ESRCH');
  });

  it('refuses mapping oneself (EINVAL)', () => {
    expectRefused(world(), mapForeign, { ...MAP, target: 0 }, 'EINVAL');
  });

  it("refuses a domain not on the caller's target list (EPERM), noting the refusal", () => {
    const s = world();
    expect(expectRefused(s, mapForeign, { ...MAP, target: 3 }, 'EPERM').notes).toEqual(['non-target-map-refused']);
    expectRefused(s, mapForeign, { ...MAP, caller: 1, target: 2 }, 'EPERM');
  });

  it("refuses a gfn that is not the target's RAM: empty, out of range, itself a foreign map (EINVAL)", () => {
    const s = world();
    applyOk(s, mapForeign, MAP);
    s.domains[1].targets = [0];
    expectRefused(s, mapForeign, { ...MAP, gfn: 9, callerGfn: 10 }, 'EINVAL');
    expectRefused(s, mapForeign, { ...MAP, gfn: DEFAULT_SCOPE.gfns, callerGfn: 10 }, 'EINVAL');
    expectRefused(s, mapForeign, { caller: 1, target: 0, gfn: 9, callerGfn: 10 }, 'EINVAL');
  });

  it("refuses a caller gfn outside the caller's p2m (EEXIST)", () => {
    const s = world();
    for (const callerGfn of [-1, DEFAULT_SCOPE.gfns]) expectRefused(s, mapForeign, { ...MAP, callerGfn }, 'EEXIST');
  });

  it("resolves a target's RAM gfn and the caller's first empty gfn, or nothing", () => {
    const s = world();
    expect(mapForeign.resolve(s, { caller: 0, target: 3, gfn: 5 }, DEFAULT_SCOPE)).toEqual({ caller: 0, target: 3, gfn: 1, callerGfn: 4 });
    expect(mapForeign.resolve(s, { caller: 0, target: 0, gfn: 0 }, DEFAULT_SCOPE)).toBeNull();
    expect(mapForeign.resolve(s, { caller: 0, target: 4, gfn: 0 }, DEFAULT_SCOPE)).toBeNull();
    expect(mapForeign.resolve(s, { caller: 4, target: 3, gfn: 0 }, DEFAULT_SCOPE)).toBeNull();
    const full = world();
    full.domains[0].p2m.fill({ mfn: 2, type: 'ram_rw', gen: 1, counted: true });
    // No empty GFN: the caller's first RAM GFN, which Xen replaces.
    expect(mapForeign.resolve(full, { caller: 0, target: 3, gfn: 0 }, DEFAULT_SCOPE)).toEqual({ caller: 0, target: 3, gfn: 0, callerGfn: 0 });
    full.domains[0].p2m.fill({ mfn: 2, type: 'mmio_direct', gen: 1, counted: false });
    expect(mapForeign.resolve(full, { caller: 0, target: 3, gfn: 0 }, DEFAULT_SCOPE)).toBeNull();
    for (let gfn = 0; gfn < 4; gfn++) applyOk(s, decreaseReservation, { dom: 3, gfn });
    expect(mapForeign.resolve(s, { caller: 0, target: 3, gfn: 0 }, DEFAULT_SCOPE)).toBeNull();
  });
});

describe('unmapForeign', () => {
  it('removes the foreign map and drops its reference; the frame stays with its owner', () => {
    const s = world();
    const mfn = p2m(s, 1, 2).mfn;
    applyOk(s, mapForeign, MAP);
    applyOk(s, unmapForeign, { caller: 0, callerGfn: 9 });
    expect(s.domains[0].p2m[9]).toBeNull();
    expect(s.frames[mfn]).toMatchObject({ owner: { kind: 'dom', dom: 1 }, refcount: 1 });
  });

  it('frees the frame when the target ballooned it out while it was mapped (last reference gone)', () => {
    const s = world();
    const mfn = p2m(s, 1, 2).mfn;
    applyOk(s, mapForeign, MAP);
    applyOk(s, decreaseReservation, { dom: 1, gfn: 2 });
    s.clock = 4;
    applyOk(s, unmapForeign, { caller: 0, callerGfn: 9 });
    expect(s.frames[mfn]).toMatchObject({ owner: { kind: 'free' }, refcount: 0, freedAt: 4 });
    expect(s.domains[1].totPages).toBe(3);
  });

  it('refuses a caller that is not running (ESRCH)', () => {
    expectRefused(world(), unmapForeign, { caller: 4, callerGfn: 9 }, 'ESRCH');
  });

  it('refuses a gfn that holds no foreign map: empty, own RAM, a grant map, out of range (EINVAL)', () => {
    const s = world();
    applyOk(s, grantAccess, { granter: 1, ref: 0, grantee: 0, gfn: 0, readonly: false });
    applyOk(s, mapGrant, { grantee: 0, granter: 1, ref: 0, readonly: false, hostGfn: 10, deviceBfn: -1 });
    for (const callerGfn of [9, 0, 10, DEFAULT_SCOPE.gfns]) expectRefused(s, unmapForeign, { caller: 0, callerGfn }, 'EINVAL');
  });

  it("resolves one of the caller's foreign maps, or nothing", () => {
    const s = world();
    expect(unmapForeign.resolve(s, { caller: 0, map: 0 }, DEFAULT_SCOPE)).toBeNull();
    applyOk(s, mapForeign, MAP);
    expect(unmapForeign.resolve(s, { caller: 0, map: 1 }, DEFAULT_SCOPE)).toEqual({ caller: 0, callerGfn: 9 });
    expect(unmapForeign.resolve(s, { caller: 4, map: 0 }, DEFAULT_SCOPE)).toBeNull();
  });
});
