import { describe, expect, it } from 'vitest';
import { stateDifference } from '../../../../src/model/core/equal.ts';
import { clonePlain } from '../../../../src/model/core/clone.ts';
import { checkAssignable, mapRmrrs2014, mapRmrrsChecked, moveDevice, unmapRmrr } from '../../../../src/model/rmrr/ops/hypervisor.ts';
import { dev, recorder, v2World, world2014 } from '../../../fixtures/rmrr.ts';

const identity = (gfn: number) => ({ mfn: gfn, type: 'mmio_direct', gen: 0, counted: false });

describe('Xen v2 at assignment: the three rows of §3.2', () => {
  it('gfn unoccupied → insert the identity map (p2m, and so the IOMMU)', () => {
    const s = v2World();
    const ctx = recorder();
    expect(mapRmrrsChecked(s, s.platform!, 2, dev(s, 'igd0'), 'fail', ctx)).toEqual({ ok: true });
    expect(s.domains[2].p2m[12]).toEqual(identity(12));
    expect(s.domains[2].p2m[13]).toEqual(identity(13));
    expect(ctx.warnings).toEqual([]);
  });

  it('identity already → do nothing', () => {
    const s = v2World();
    const before = clonePlain(s);
    expect(mapRmrrsChecked(s, s.platform!, 0, dev(s, 'igd0'), 'fail', recorder())).toEqual({ ok: true });
    expect(stateDifference(before, s)).toBeUndefined();
  });

  it("other mapping, policy 'fail' → conflict: EBUSY, logged, nothing changed", () => {
    const s = v2World();
    const before = clonePlain(s);
    const ctx = recorder();
    expect(mapRmrrsChecked(s, s.platform!, 2, dev(s, 'usb0'), 'fail', ctx)).toEqual({ ok: false, err: 'EBUSY' });
    expect(stateDifference(before, s)).toBeUndefined();
    expect(ctx.notes).toEqual(['conflicting-assignment-refused']);
    expect(ctx.warnings[0]).toMatch(/RMRR of usb0 conflicts with an existing mapping in dom2 at gfn 0x2; assignment refused/);
  });

  it("other mapping, policy 'warn' → assigned with a warning, the conflicting GFN left as it was", () => {
    const s = v2World();
    const ram = s.domains[2].p2m[2];
    const ctx = recorder();
    expect(mapRmrrsChecked(s, s.platform!, 2, dev(s, 'usb0'), 'warn', ctx)).toEqual({ ok: true });
    expect(s.domains[2].p2m[2]).toBe(ram);
    expect(ctx.notes).toEqual(['rmrr-conflict-warned']);
    expect(ctx.warnings[0]).toMatch(/not identity-mapped, assigning anyway \(rmrrConflict=warn\)/);
  });

  it('a conflict on one page of a two-page RMRR refuses before mapping the other page', () => {
    const s = v2World();
    s.domains[2].p2m[13] = { mfn: 30, type: 'ram_rw', gen: 1, counted: true };
    const before = clonePlain(s);
    expect(mapRmrrsChecked(s, s.platform!, 2, dev(s, 'igd0'), 'fail', recorder())).toEqual({ ok: false, err: 'EBUSY' });
    expect(stateDifference(before, s)).toBeUndefined();
    expect(mapRmrrsChecked(s, s.platform!, 2, dev(s, 'igd0'), 'warn', recorder())).toEqual({ ok: true });
    expect(s.domains[2].p2m[12]).toEqual(identity(12));
    expect(s.domains[2].p2m[13]!.type).toBe('ram_rw');
  });
});

describe('Xen 2014 at assignment', () => {
  it('shared EPT (Issue-1): maps nothing at all', () => {
    const s = world2014();
    const before = clonePlain(s);
    expect(mapRmrrs2014(s, s.platform!, 1, dev(s, 'igd0'))).toEqual({ ok: true });
    expect(stateDifference(before, s)).toBeUndefined();
  });

  it('separate IOMMU (Issue-2): identity in the IOMMU only, over guest RAM, and only once', () => {
    const s = world2014({ iommuPt: 'separate' });
    const ram = s.domains[1].p2m[2];
    mapRmrrs2014(s, s.platform!, 1, dev(s, 'usb0'));
    mapRmrrs2014(s, s.platform!, 1, dev(s, 'usb0'));
    expect(s.platform!.domains[1].iommuOnly).toEqual([{ bfn: 2, mfn: 2, gen: 0 }]);
    expect(s.domains[1].p2m[2]).toBe(ram);
  });
});

describe("Xen's preconditions and bookkeeping", () => {
  it('checkAssignable: running guest, not the hardware domain, device not held by another guest', () => {
    const s = v2World();
    const p = s.platform!;
    expect(checkAssignable(s, p, 1, dev(s, 'nic0'))).toBeUndefined();
    expect(checkAssignable(s, p, 3, dev(s, 'nic0'))).toEqual({ ok: false, err: 'ESRCH' });
    expect(checkAssignable(s, p, 0, dev(s, 'nic0'))).toEqual({ ok: false, err: 'EINVAL' });
    dev(s, 'nic0').owner = 2;
    expect(checkAssignable(s, p, 1, dev(s, 'nic0'))).toEqual({ ok: false, err: 'EBUSY' });
    dev(s, 'nic0').owner = null;
    expect(checkAssignable(s, p, 1, dev(s, 'nic0'))).toBeUndefined();
  });

  it('moveDevice unmaps an RMRR from the domain left behind when no device there uses it any more', () => {
    const s = v2World();
    moveDevice(s, s.platform!, dev(s, 'igd0'), 2);
    expect(dev(s, 'igd0')).toMatchObject({ owner: 2, context: 2 });
    expect(s.domains[0].p2m[12]).toBeNull();
    expect(s.domains[0].p2m[13]).toBeNull();
  });

  it('moveDevice keeps an RMRR another device of that domain still uses', () => {
    const s = v2World();
    moveDevice(s, s.platform!, dev(s, 'usb1'), 2);
    expect(s.domains[0].p2m[3]).toEqual(identity(3));
    moveDevice(s, s.platform!, dev(s, 'usb2'), 'quarantine');
    expect(dev(s, 'usb2')).toMatchObject({ owner: null, context: 'quarantine' });
    expect(s.domains[0].p2m[3]).toBeNull();
  });

  it('unmapRmrr removes identity p2m entries and IOMMU-only entries, nothing else', () => {
    const s = world2014({ iommuPt: 'separate' });
    s.platform!.domains[1].iommuOnly.push({ bfn: 2, mfn: 2, gen: 0 }, { bfn: 12, mfn: 12, gen: 0 });
    const ram = s.domains[1].p2m[2];
    unmapRmrr(s, s.platform!, 1, 0);
    expect(s.platform!.domains[1].iommuOnly).toEqual([{ bfn: 12, mfn: 12, gen: 0 }]);
    expect(s.domains[1].p2m[2]).toBe(ram);
    unmapRmrr(s, s.platform!, 0, 2);
    expect(s.domains[0].p2m[12]).toBeNull();
  });
});
