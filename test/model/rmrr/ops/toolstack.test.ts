import { describe, expect, it } from 'vitest';
import { libxlReservationCheck, sharedRmrrCheck, unreservedRmrrs } from '../../../../src/model/rmrr/ops/toolstack.ts';
import { dev, recorder, v2World, world2014 } from '../../../fixtures/rmrr.ts';

describe('libxl: reserved at creation, or refused with a way to fix it', () => {
  it('passes a device whose RMRRs the domain reserved', () => {
    const s = v2World();
    const ctx = recorder();
    expect(libxlReservationCheck(s.platform!, 2, dev(s, 'igd0'), ctx)).toBeUndefined();
    expect(ctx.warnings).toEqual([]);
  });

  it('passes a device with no RMRR anywhere', () => {
    const s = v2World();
    expect(libxlReservationCheck(s.platform!, 1, dev(s, 'nic0'), recorder())).toBeUndefined();
  });

  it('refuses an unreserved RMRR with EPERM and a message naming the fixes', () => {
    const s = v2World();
    const ctx = recorder();
    expect(unreservedRmrrs(s.platform!, 1, dev(s, 'igd0'))).toEqual([2]);
    expect(libxlReservationCheck(s.platform!, 1, dev(s, 'igd0'), ctx)).toEqual({ ok: false, err: 'EPERM' });
    expect(ctx.notes).toEqual(['unreserved-assignment-refused']);
    expect(ctx.warnings[0]).toMatch(/igd0 uses RMRR r2, which dom1 did not reserve at creation; to fix: .*pci= list.*mirrored.*listed/);
  });

  it('asks nothing where the policy does not require reservations', () => {
    const s = world2014();
    expect(libxlReservationCheck(s.platform!, 1, dev(s, 'igd0'), recorder())).toBeUndefined();
  });
});

describe('sharing check (libxl first, Xen as fall-back)', () => {
  it('deny: refuses a device sharing an RMRR, naming the other', () => {
    const s = v2World();
    const ctx = recorder();
    expect(sharedRmrrCheck(s.platform!, dev(s, 'usb2'), ctx, 'Xen')).toEqual({ ok: false, err: 'EPERM' });
    expect(ctx.notes).toEqual(['shared-rmrr-assignment-refused']);
    expect(ctx.warnings).toEqual(['Xen: usb2 shares an RMRR with usb1; assignment denied (override: sharedRmrr=allow)']);
  });

  it("allow: lets it through with a warning that it is the user's override", () => {
    const s = v2World({ sharedRmrr: 'allow' });
    const ctx = recorder();
    expect(sharedRmrrCheck(s.platform!, dev(s, 'usb1'), ctx, 'libxl')).toBeUndefined();
    expect(ctx.warnings).toEqual(['libxl: usb1 shares an RMRR with usb2; assigning anyway because sharedRmrr=allow']);
  });

  it('says nothing of a device that shares nothing', () => {
    const s = v2World();
    const ctx = recorder();
    expect(sharedRmrrCheck(s.platform!, dev(s, 'usb0'), ctx, 'libxl')).toBeUndefined();
    expect(ctx.warnings).toEqual([]);
  });
});
