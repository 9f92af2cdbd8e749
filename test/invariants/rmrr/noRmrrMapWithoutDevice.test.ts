import { describe, expect, it } from 'vitest';
import { noRmrrMapWithoutDevice as inv } from '../../../invariants/rmrr/noRmrrMapWithoutDevice.ts';
import { rmrrV2 } from '../../../src/model/rmrr/designs/rmrrV2.ts';
import { act, dev, v2World, view, world2014 } from '../../fixtures/rmrr.ts';

describe('no-rmrr-map-without-device', () => {
  it('holds at boot and through an assign/deassign round trip', () => {
    const s = v2World();
    expect(inv.check(view(s))).toEqual([]);
    act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'igd0' });
    expect(inv.check(view(s))).toEqual([]);
    act(rmrrV2, s, { op: 'deassignDevice', device: 'igd0' });
    expect(inv.check(view(s))).toEqual([]);
  });

  it('is violated by an identity map left behind when the device went elsewhere', () => {
    const s = v2World();
    dev(s, 'igd0').owner = 2;
    dev(s, 'igd0').context = 2;
    const w = inv.check(view(s));
    expect(w.map((x) => [x.reason, x.dom, x.mfn])).toEqual([
      ['rmrr-map-without-device', 0, 12],
      ['rmrr-map-without-device', 0, 13],
    ]);
    expect(inv.describe(w[0])).toBe('dom0 still maps RMRR r2 (mfn 0xc) at p2m gfn 0xc, but no device of dom0 uses it');
  });

  it('is violated by RMRR memory mapped anywhere but its identity', () => {
    const s = v2World();
    s.domains[0].p2m[9] = { mfn: 12, type: 'mmio_direct', gen: 0, counted: false };
    const w = inv.check(view(s));
    expect(w.map((x) => [x.reason, x.holder])).toEqual([['rmrr-mapped-not-identity', { via: 'p2m', dom: 0, gfn: 9, type: 'mmio_direct' }]]);
    expect(inv.describe(w[0])).toBe('dom0 maps RMRR r2 frame mfn 0xc at p2m gfn 0x9, which is not its identity');
  });

  it('checks IOMMU-only entries too', () => {
    const s = world2014({ iommuPt: 'separate' });
    s.platform!.domains[1].iommuOnly.push({ bfn: 2, mfn: 2, gen: 0 });
    const w = inv.check(view(s));
    expect(w.map((x) => [x.reason, x.holder])).toEqual([['rmrr-map-without-device', { via: 'iommu', dom: 1, bfn: 2 }]]);
    expect(inv.describe(w[0])).toContain('IOMMU bfn 0x2');
  });
});
