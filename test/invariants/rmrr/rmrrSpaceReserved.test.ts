import { describe, expect, it } from 'vitest';
import { rmrrSpaceReserved as inv } from '../../../invariants/rmrr/rmrrSpaceReserved.ts';
import { rmrr2014 } from '../../../src/model/rmrr/designs/rmrr2014.ts';
import { act, v2World, view, world2014 } from '../../fixtures/rmrr.ts';

describe('rmrr-space-reserved', () => {
  it('holds at boot: reserved GFNs are empty or identity-mapped', () => {
    expect(inv.check(view(v2World()))).toEqual([]);
  });

  it('is violated by guest RAM at a reserved GFN', () => {
    const s = world2014();
    act(rmrr2014, s, { op: 'assignDevice', dom: 1, device: 'usb0' });
    act(rmrr2014, s, { op: 'populatePhysmap', dom: 0, gfn: 2, mfn: 20 });
    const w = inv.check(view(s));
    expect(w).toEqual([{ reason: 'ram-at-reserved-gfn', dom: 0, mfn: 20, holder: { via: 'p2m', dom: 0, gfn: 2, type: 'ram_rw' }, actual: 'ram_rw' }]);
    expect(inv.describe(w[0])).toBe('dom0 reserved gfn 0x2 for an RMRR, but it holds ram_rw (mfn 0x14)');
  });

  it('is violated by any other mapping at a reserved GFN', () => {
    const s = v2World();
    s.domains[2].p2m[12] = { mfn: 9, type: 'grant_map_rw', gen: 1, counted: true, grant: { granter: 1, ref: 0 } };
    expect(inv.check(view(s)).map((w) => w.reason)).toEqual(['mapping-at-reserved-gfn']);
  });

  it('asks nothing of a domain built without a reservation, or no longer around', () => {
    const s = v2World();
    s.domains[1].p2m[12] = { mfn: 30, type: 'ram_rw', gen: 1, counted: true };
    expect(inv.check(view(s))).toEqual([]);
    s.domains[2].p2m[12] = { mfn: 31, type: 'ram_rw', gen: 1, counted: true };
    s.domains[2].state = 'dead';
    expect(inv.check(view(s))).toEqual([]);
  });
});
