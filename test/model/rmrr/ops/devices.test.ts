import { describe, expect, it } from 'vitest';
import { clonePlain } from '../../../../src/model/core/clone.ts';
import { stateDifference } from '../../../../src/model/core/equal.ts';
import { rmrr2014 } from '../../../../src/model/rmrr/designs/rmrr2014.ts';
import { rmrrV2 } from '../../../../src/model/rmrr/designs/rmrrV2.ts';
import { RMRR_V2 } from '../../../../src/model/rmrr/ops/semantics.ts';
import type { ArgRecord } from '../../../../src/model/core/op.ts';
import { act, dev, opOf, recorder, v2World, world2014 } from '../../../fixtures/rmrr.ts';

describe('assignDevice (rmrr-v2)', () => {
  it('hot-plugs a device into a guest that reserved its RMRRs: identity maps, context moved, dom0 cleaned', () => {
    const s = v2World();
    const ctx = recorder();
    expect(act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'igd0' }, ctx)).toEqual({ ok: true });
    expect(dev(s, 'igd0')).toMatchObject({ owner: 2, context: 2 });
    expect(s.domains[2].p2m[12]).toMatchObject({ mfn: 12, type: 'mmio_direct' });
    expect(s.domains[0].p2m[12]).toBeNull();
    expect(ctx.notes).toEqual(['hotplug-assignment']);
  });

  it('counts a statically configured device as assigned at creation', () => {
    const s = v2World();
    expect(act(rmrrV2, s, { op: 'createDomain', dom: 3, static: [0], mirrorHost: false, explicit: [] })).toMatchObject({ ok: true });
    const ctx = recorder();
    expect(act(rmrrV2, s, { op: 'assignDevice', dom: 3, device: 'igd0' }, ctx)).toEqual({ ok: true });
    expect(ctx.notes).toEqual(['static-assignment']);
  });

  it('resets the device first: DMA still programmed from before is dropped', () => {
    const s = v2World();
    dev(s, 'nic0').inflight.push({ by: 0, device: 'nic0', bfn: 0, write: true });
    const ctx = recorder();
    expect(act(rmrrV2, s, { op: 'assignDevice', dom: 1, device: 'nic0' }, ctx)).toEqual({ ok: true });
    expect(dev(s, 'nic0').inflight).toEqual([]);
    expect(ctx.notes).toContain('reset-dropped-inflight-dma');
  });

  it.each([
    ['no such device', { dom: 1, device: 'gpu9' }, 'ENOENT', []],
    ['domain not running', { dom: 3, device: 'nic0' }, 'ESRCH', []],
    ['the hardware domain', { dom: 0, device: 'nic0' }, 'EINVAL', []],
    ['RMRR not reserved (libxl)', { dom: 1, device: 'igd0' }, 'EPERM', ['unreserved-assignment-refused']],
    ['RMRR shared (libxl, deny)', { dom: 2, device: 'usb1' }, 'EPERM', ['shared-rmrr-assignment-refused']],
    ['RMRR GFN holds RAM (Xen, fail)', { dom: 2, device: 'usb0' }, 'EBUSY', ['conflicting-assignment-refused']],
  ])('refuses (%s) and changes nothing', (_why, args, err, notes) => {
    const s = v2World();
    const before = clonePlain(s);
    const ctx = recorder();
    expect(act(rmrrV2, s, { op: 'assignDevice', ...args }, ctx)).toEqual({ ok: false, err });
    expect(stateDifference(before, s)).toBeUndefined();
    expect(ctx.notes).toEqual(notes);
  });

  it('refuses a device another guest holds (EBUSY)', () => {
    const s = v2World();
    act(rmrrV2, s, { op: 'assignDevice', dom: 1, device: 'nic0' });
    expect(act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'nic0' })).toEqual({ ok: false, err: 'EBUSY' });
  });

  it('the hypervisor layer denies a shared RMRR by itself (the fall-back), and only under deny', () => {
    const s = v2World();
    const ctx = recorder();
    expect(RMRR_V2.hypervisorCheck(s.platform!, dev(s, 'usb1'), ctx)).toEqual({ ok: false, err: 'EPERM' });
    expect(ctx.warnings[0]).toMatch(/^Xen: usb1 shares an RMRR with usb2; assignment denied/);
    const allow = v2World({ sharedRmrr: 'allow' });
    const quiet = recorder();
    expect(RMRR_V2.hypervisorCheck(allow.platform!, dev(allow, 'usb1'), quiet)).toBeUndefined();
    expect(quiet.warnings).toEqual([]);
  });

  it('libxl refuses first: the reservation check before the sharing check', () => {
    const s = v2World();
    const ctx = recorder();
    expect(act(rmrrV2, s, { op: 'assignDevice', dom: 1, device: 'usb1' }, ctx)).toEqual({ ok: false, err: 'EPERM' });
    expect(ctx.notes).toEqual(['unreserved-assignment-refused']);
  });

  it('sharedRmrr=allow: assigns with the warning from libxl only', () => {
    const s = v2World({ sharedRmrr: 'allow' });
    const ctx = recorder();
    expect(act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'usb1' }, ctx)).toEqual({ ok: true });
    expect(ctx.warnings).toEqual(['libxl: usb1 shares an RMRR with usb2; assigning anyway because sharedRmrr=allow']);
    // usb2 still uses r1 in dom0, so dom0 keeps its identity map: r1 is now in two domains.
    expect(s.domains[0].p2m[3]).toMatchObject({ mfn: 3, type: 'mmio_direct' });
    expect(s.domains[2].p2m[3]).toMatchObject({ mfn: 3, type: 'mmio_direct' });
  });

  it('rmrrConflict=warn: assigns over guest RAM with a warning (the USB legacy-keyboard case)', () => {
    const s = v2World({ rmrrConflict: 'warn' });
    const ctx = recorder();
    expect(act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'usb0' }, ctx)).toEqual({ ok: true });
    expect(s.domains[2].p2m[2]!.type).toBe('ram_rw');
    expect(ctx.notes).toContain('rmrr-conflict-warned');
  });
});

describe('assignDevice (rmrr-2014)', () => {
  it('assigns over guest RAM and shared RMRRs alike, with no identity map under shared EPT', () => {
    const s = world2014();
    expect(act(rmrr2014, s, { op: 'assignDevice', dom: 1, device: 'usb0' })).toEqual({ ok: true });
    expect(act(rmrr2014, s, { op: 'assignDevice', dom: 2, device: 'usb1' })).toEqual({ ok: true });
    expect(s.domains[1].p2m[2]!.type).toBe('ram_rw');
    expect(s.domains[2].p2m[3]!.type).toBe('ram_rw');
  });

  it('still refuses what Xen always did: a device another guest holds', () => {
    const s = world2014();
    act(rmrr2014, s, { op: 'assignDevice', dom: 1, device: 'nic0' });
    expect(act(rmrr2014, s, { op: 'assignDevice', dom: 2, device: 'nic0' })).toEqual({ ok: false, err: 'EBUSY' });
  });
});

describe('deassignDevice', () => {
  it('v2: to quarantine; the guest loses the identity map; DMA in flight is noted and kept', () => {
    const s = v2World();
    act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'igd0' });
    dev(s, 'igd0').inflight.push({ by: 2, device: 'igd0', bfn: 0, write: true });
    const ctx = recorder();
    expect(act(rmrrV2, s, { op: 'deassignDevice', device: 'igd0' }, ctx)).toEqual({ ok: true });
    expect(dev(s, 'igd0')).toMatchObject({ owner: null, context: 'quarantine', inflight: [{ by: 2, bfn: 0, write: true }] });
    expect(s.domains[2].p2m[12]).toBeNull();
    expect(ctx.notes).toEqual(['deassign-with-dma-in-flight']);
  });

  it("deassignTo=hwdom: back to dom0's context, its RMRR identity-mapped there again", () => {
    const s = v2World({ deassignTo: 'hwdom' });
    act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'igd0' });
    expect(s.domains[0].p2m[12]).toBeNull();
    act(rmrrV2, s, { op: 'deassignDevice', device: 'igd0' });
    expect(dev(s, 'igd0')).toMatchObject({ owner: 0, context: 0 });
    expect(s.domains[0].p2m[12]).toMatchObject({ mfn: 12, type: 'mmio_direct' });
  });

  it('2014 under shared EPT: back to dom0, whose identity map is not restored (Issue-1 again)', () => {
    const s = world2014();
    act(rmrr2014, s, { op: 'assignDevice', dom: 1, device: 'igd0' });
    act(rmrr2014, s, { op: 'deassignDevice', device: 'igd0' });
    expect(dev(s, 'igd0')).toMatchObject({ owner: 0, context: 0 });
    expect(s.domains[0].p2m[12]).toBeNull();
  });

  it('refuses a device no guest holds (EINVAL) and an unknown one (ENOENT)', () => {
    const s = v2World();
    expect(act(rmrrV2, s, { op: 'deassignDevice', device: 'nic0' })).toEqual({ ok: false, err: 'EINVAL' });
    dev(s, 'nic0').owner = null;
    expect(act(rmrrV2, s, { op: 'deassignDevice', device: 'nic0' })).toEqual({ ok: false, err: 'EINVAL' });
    expect(act(rmrrV2, s, { op: 'deassignDevice', device: 'gpu9' })).toEqual({ ok: false, err: 'ENOENT' });
  });

  it('resolves only devices a guest holds', () => {
    const s = v2World();
    const op = opOf(rmrrV2, 'deassignDevice');
    expect(op.resolve(s, { device: 0 }, recorder().scope)).toBeNull();
    act(rmrrV2, s, { op: 'assignDevice', dom: 1, device: 'nic0' });
    expect(op.resolve(s, { device: 3 }, recorder().scope)).toEqual({ device: 'nic0' });
  });
});

describe('without a platform', () => {
  it('the device ops answer EOPNOTSUPP', () => {
    const s = v2World();
    delete s.platform;
    const cases: [string, ArgRecord][] = [
      ['assignDevice', { dom: 1, device: 'nic0' }],
      ['deassignDevice', { device: 'nic0' }],
      ['programDma', { dom: 1, device: 'nic0', bfn: 0, write: true }],
      ['deviceDma', { device: 'nic0' }],
      ['createDomain', { dom: 3, static: [] }],
    ];
    for (const [op, args] of cases) {
      expect(opOf(rmrrV2, op).apply(s, args, recorder())).toEqual({ ok: false, err: 'EOPNOTSUPP' });
      expect(opOf(rmrrV2, op).resolve(s, { dom: 1, device: 0, bfn: 0, write: true, static: 0, mirrorHost: false, explicit: 0 }, recorder().scope)).toBeNull();
    }
  });
});
