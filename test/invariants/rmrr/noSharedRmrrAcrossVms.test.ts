import { describe, expect, it } from 'vitest';
import { noSharedRmrrAcrossVms as inv } from '../../../invariants/rmrr/noSharedRmrrAcrossVms.ts';
import { rmrr2014 } from '../../../src/model/rmrr/designs/rmrr2014.ts';
import { rmrrV2 } from '../../../src/model/rmrr/designs/rmrrV2.ts';
import { act, dev, v2World, view, world2014 } from '../../fixtures/rmrr.ts';

describe('no-shared-rmrr-across-vms', () => {
  it('holds at boot, with every device in the hardware domain', () => {
    expect(inv.check(view(v2World()))).toEqual([]);
    expect(inv.check(view(world2014()))).toEqual([]);
  });

  it('holds when both sharing devices go to the same guest', () => {
    const s = v2World({ sharedRmrr: 'allow' });
    act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'usb1' });
    act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'usb2' });
    expect(inv.check(view(s))).toEqual([]);
  });

  it('is violated by an RMRR mapped into two domains', () => {
    const s = v2World({ sharedRmrr: 'allow' });
    act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'usb1' });
    const w = inv.check(view(s));
    expect(w).toContainEqual({ reason: 'rmrr-mapped-in-two-domains', mfn: 3, expected: 'one domain', actual: { rmrr: 1, doms: [0, 2] } });
    expect(inv.describe(w[0])).toBe('RMRR r1 (mfn 0x3) is mapped into dom0 and dom2');
  });

  it('is violated by sharing devices in different domains even with no identity map anywhere (2014, shared EPT)', () => {
    const s = world2014();
    act(rmrr2014, s, { op: 'assignDevice', dom: 1, device: 'usb1' });
    act(rmrr2014, s, { op: 'assignDevice', dom: 2, device: 'usb2' });
    const w = inv.check(view(s));
    expect(w).toEqual([
      { reason: 'sharing-devices-in-different-domains', mfn: 3, expected: 'one domain', actual: { rmrr: 1, devices: ['usb1', 'usb2'], owners: [1, 2] } },
    ]);
    expect(inv.describe(w[0])).toBe('usb1 (dom1) and usb2 (dom2) share RMRR r1 (mfn 0x3) but belong to different domains');
  });

  it('counts IOMMU-only maps (2014, separate IOMMU)', () => {
    const s = world2014({ iommuPt: 'separate' });
    s.platform!.domains[1].iommuOnly.push({ bfn: 12, mfn: 12, gen: 0 });
    expect(inv.check(view(s)).map((w) => w.actual)).toEqual([{ rmrr: 2, doms: [0, 1] }]);
  });

  it('a quarantined device belongs to no domain', () => {
    const s = v2World();
    dev(s, 'usb1').owner = null;
    dev(s, 'usb1').context = 'quarantine';
    expect(inv.check(view(s))).toEqual([]);
  });
});
