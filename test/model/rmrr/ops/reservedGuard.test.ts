import { describe, expect, it } from 'vitest';
import { rmrr2014 } from '../../../../src/model/rmrr/designs/rmrr2014.ts';
import { rmrrV2 } from '../../../../src/model/rmrr/designs/rmrrV2.ts';
import { act, recorder, v2World, world2014 } from '../../../fixtures/rmrr.ts';

describe('v2 keeps reserved GFNs free (Guideline-3)', () => {
  it('refuses populate_physmap at a reserved GFN (EBUSY), allows it elsewhere', () => {
    const s = v2World();
    const ctx = recorder();
    expect(act(rmrrV2, s, { op: 'populatePhysmap', dom: 2, gfn: 12, mfn: 30 }, ctx)).toEqual({ ok: false, err: 'EBUSY' });
    expect(s.domains[2].p2m[12]).toBeNull();
    expect(ctx.notes).toEqual(['reserved-gfn-map-refused']);
    expect(act(rmrrV2, s, { op: 'populatePhysmap', dom: 2, gfn: 10, mfn: 30 })).toEqual({ ok: true, value: 30 });
  });

  it("guards the hardware domain's RMRR GFNs once its device has left", () => {
    const s = v2World();
    act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'igd0' });
    expect(act(rmrrV2, s, { op: 'populatePhysmap', dom: 0, gfn: 12, mfn: 30 })).toEqual({ ok: false, err: 'EBUSY' });
  });

  it('refuses a foreign map and a grant host mapping at a reserved GFN', () => {
    const s = v2World();
    s.domains[2].targets = [1];
    expect(act(rmrrV2, s, { op: 'mapForeign', caller: 2, target: 1, gfn: 0, callerGfn: 3 })).toEqual({ ok: false, err: 'EBUSY' });
    expect(act(rmrrV2, s, { op: 'mapForeign', caller: 2, target: 1, gfn: 0, callerGfn: 5 })).toEqual({ ok: true });
    expect(act(rmrrV2, s, { op: 'grantAccess', granter: 1, ref: 0, grantee: 2, gfn: 1, readonly: false }).ok).toBe(true);
    expect(act(rmrrV2, s, { op: 'mapGrant', grantee: 2, granter: 1, ref: 0, readonly: false, hostGfn: 13, deviceBfn: -1 })).toEqual({ ok: false, err: 'EBUSY' });
    expect(act(rmrrV2, s, { op: 'mapGrant', grantee: 2, granter: 1, ref: 0, readonly: false, hostGfn: 6, deviceBfn: -1 }).ok).toBe(true);
  });

  it('2014 has no such guard', () => {
    const s = world2014();
    act(rmrr2014, s, { op: 'assignDevice', dom: 1, device: 'igd0' });
    expect(act(rmrr2014, s, { op: 'populatePhysmap', dom: 0, gfn: 12, mfn: 30 })).toEqual({ ok: true, value: 30 });
  });

  it('the design lists each guarded op once, under its own name, and drops the core ops it replaces', () => {
    const names = rmrrV2.ops.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain('gpuDma');
    expect(rmrrV2.ops.find((o) => o.name === 'populatePhysmap')!.doc).toMatch(/reserved for an RMRR/);
    expect(rmrr2014.ops.find((o) => o.name === 'populatePhysmap')!.doc).not.toMatch(/reserved/);
  });
});
