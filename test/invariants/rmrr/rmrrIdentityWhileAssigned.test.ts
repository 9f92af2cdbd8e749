import { describe, expect, it } from 'vitest';
import { rmrrIdentityWhileAssigned as inv } from '../../../invariants/rmrr/rmrrIdentityWhileAssigned.ts';
import { rmrr2014 } from '../../../src/model/rmrr/designs/rmrr2014.ts';
import { rmrrV2 } from '../../../src/model/rmrr/designs/rmrrV2.ts';
import { act, dev, v2World, view, world2014 } from '../../fixtures/rmrr.ts';

describe('rmrr-identity-while-assigned', () => {
  it('holds at boot and after a v2 assignment, in both IOMMU set-ups', () => {
    for (const iommuPt of ['shared-ept', 'separate']) {
      const s = v2World({ iommuPt });
      expect(inv.check(view(s))).toEqual([]);
      act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'igd0' });
      expect(inv.check(view(s))).toEqual([]);
    }
  });

  it('is violated in p2m and IOMMU when no identity map was set up (Issue-1)', () => {
    const s = world2014();
    act(rmrr2014, s, { op: 'assignDevice', dom: 1, device: 'igd0' });
    const w = inv.check(view(s));
    expect(w.map((x) => [x.reason, x.mfn, x.actual])).toEqual([
      ['p2m-not-identity', 12, 'unmapped'],
      ['iommu-not-identity', 12, 'fault'],
      ['p2m-not-identity', 13, 'unmapped'],
      ['iommu-not-identity', 13, 'fault'],
    ]);
    expect(w[0].principal).toEqual({ kind: 'device', dom: 1, device: 'igd0' });
    expect(inv.describe(w[0])).toBe("igd0 belongs to dom1 but its RMRR gfn 0xc is unmapped in dom1's p2m, not the identity map");
    expect(inv.describe(w[1])).toBe('igd0 belongs to dom1 but its RMRR gfn 0xc faults in the IOMMU context igd0 uses, not 1:1');
  });

  it('is violated when guest RAM sits where the RMRR should be (rmrrConflict=warn)', () => {
    const s = v2World({ rmrrConflict: 'warn' });
    act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'usb0' });
    const mfn = s.domains[2].p2m[2]!.mfn;
    expect(inv.check(view(s)).map((x) => [x.reason, x.actual])).toEqual([
      ['p2m-not-identity', `ram_rw → mfn 0x${mfn.toString(16)}`],
      ['iommu-not-identity', `mfn 0x${mfn.toString(16)}`],
    ]);
  });

  it('is violated in the p2m alone when only a separate IOMMU has the identity (2014)', () => {
    const s = world2014({ iommuPt: 'separate' });
    act(rmrr2014, s, { op: 'assignDevice', dom: 1, device: 'igd0' });
    expect(inv.check(view(s)).map((x) => x.reason)).toEqual(['p2m-not-identity', 'p2m-not-identity']);
  });

  it('is violated in the IOMMU alone when an IOMMU-only entry points elsewhere', () => {
    const s = v2World({ iommuPt: 'separate' });
    s.platform!.domains[0].iommuOnly.push({ bfn: 12, mfn: 20, gen: 1 });
    expect(inv.check(view(s)).map((x) => [x.reason, x.dom, x.actual])).toEqual([['iommu-not-identity', 0, 'mfn 0x14']]);
  });

  it('is violated when someone replaces the identity map while the device is assigned', () => {
    const s = v2World();
    s.domains[0].p2m[3] = { mfn: 3, type: 'ram_rw', gen: 0, counted: false };
    expect(inv.check(view(s)).map((x) => [x.reason, x.principal!.device])).toEqual([
      ['p2m-not-identity', 'usb1'],
      ['p2m-not-identity', 'usb2'],
    ]);
  });

  it('asks nothing of a quarantined device', () => {
    const s = v2World();
    dev(s, 'igd0').owner = null;
    dev(s, 'igd0').context = 'quarantine';
    s.domains[0].p2m[12] = null;
    s.domains[0].p2m[13] = null;
    expect(inv.check(view(s))).toEqual([]);
  });
});
