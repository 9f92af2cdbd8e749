import { describe, expect, it } from 'vitest';
import { clonePlain } from '../../../../src/model/core/clone.ts';
import { stateDifference } from '../../../../src/model/core/equal.ts';
import { rmrr2014 } from '../../../../src/model/rmrr/designs/rmrr2014.ts';
import { rmrrV2 } from '../../../../src/model/rmrr/designs/rmrrV2.ts';
import { bitsOf } from '../../../../src/model/rmrr/ops/domains.ts';
import { act, dev, opOf, recorder, v2World, world2014 } from '../../../fixtures/rmrr.ts';

const mapped = (p2m: readonly ({ mfn: number } | null)[]) => p2m.flatMap((e, gfn) => (e === null ? [] : [gfn]));

describe('createDomain (libxl: domain builder, hvmloader)', () => {
  it('v2 with a static device: reserves its RMRR, lays RAM and tables around it, records the config', () => {
    const s = v2World();
    const ctx = recorder();
    expect(act(rmrrV2, s, { op: 'createDomain', dom: 3, static: [0, 2], mirrorHost: false, explicit: [] }, ctx)).toEqual({ ok: true, value: 3 });
    expect(s.domains[3].state).toBe('alive');
    expect(s.platform!.domains[3]).toEqual({ static: [0, 2], reservation: { rmrrs: [1, 2], gfns: [3, 12, 13] }, iommuOnly: [] });
    expect(mapped(s.domains[3].p2m)).toEqual([0, 1, 2, 4, 11]);
    expect(s.domains[3].totPages).toBe(5);
    expect(ctx.warnings).toEqual([]);
  });

  it('v2 with an RMRR in the BIOS region: warns (user-space policy), and the guest still boots', () => {
    const s = v2World();
    const ctx = recorder();
    expect(act(rmrrV2, s, { op: 'createDomain', dom: 3, static: [1], mirrorHost: false, explicit: [] }, ctx)).toMatchObject({ ok: true });
    expect(ctx.notes).toEqual(['builder-rmrr-conflict-warned']);
    expect(ctx.warnings).toHaveLength(1);
    expect(s.platform!.domains[3].reservation).toEqual({ rmrrs: [0], gfns: [] });
  });

  it('v2: hvmloader passes over a reserved GFN where it would put its tables', () => {
    const s = v2World();
    s.platform!.rmrrs.push({ base: 11, pages: 1 });
    const ctx = recorder();
    expect(act(rmrrV2, s, { op: 'createDomain', dom: 3, static: [], mirrorHost: false, explicit: [3] }, ctx)).toMatchObject({ ok: true });
    expect(s.domains[3].p2m[11]).toBeNull();
    expect(s.domains[3].p2m[10]).toMatchObject({ type: 'ram_rw' });
    expect(ctx.notes).toEqual(['hvmloader-avoided-rmrr']);
  });

  it('2014: RAM from GFN 0 regardless, no reservation', () => {
    const s = world2014();
    expect(act(rmrr2014, s, { op: 'createDomain', dom: 3, static: [2] })).toMatchObject({ ok: true });
    expect(mapped(s.domains[3].p2m)).toEqual([0, 1, 2, 3, 11]);
    expect(s.platform!.domains[3]).toEqual({ static: [2], reservation: null, iommuOnly: [] });
  });

  it('2014 generates no reservation options; v2 does', () => {
    const scope = recorder().scope;
    expect(Object.keys(opOf(rmrr2014, 'createDomain').gen)).toEqual(['static']);
    expect(opOf(rmrr2014, 'createDomain').resolve(world2014(), { static: 5 }, scope)).toEqual({ dom: 3, static: [0, 2] });
    expect(opOf(rmrrV2, 'createDomain').resolve(v2World(), { static: 0, mirrorHost: true, explicit: 4 }, scope)).toEqual({
      dom: 3,
      static: [],
      mirrorHost: true,
      explicit: [2],
    });
  });

  it.each([
    ['an id in use', { dom: 1, static: [], mirrorHost: false, explicit: [] }, 'EEXIST'],
    ['an id out of range', { dom: 9, static: [], mirrorHost: false, explicit: [] }, 'EEXIST'],
    ['an unknown device', { dom: 3, static: [7], mirrorHost: false, explicit: [] }, 'EINVAL'],
    ['a repeated device', { dom: 3, static: [1, 1], mirrorHost: false, explicit: [] }, 'EINVAL'],
    ['an unknown RMRR', { dom: 3, static: [], mirrorHost: false, explicit: [3] }, 'EINVAL'],
  ])('refuses %s and changes nothing', (_why, args, err) => {
    const s = v2World();
    const before = clonePlain(s);
    expect(act(rmrrV2, s, { op: 'createDomain', ...args })).toEqual({ ok: false, err });
    expect(stateDifference(before, s)).toBeUndefined();
  });

  it('refuses (ENOMEM) when the heap cannot hold the guest, changing nothing', () => {
    const s = v2World();
    s.frames.forEach((f) => {
      if (f.owner.kind === 'free') f.owner = { kind: 'xen' };
    });
    const before = clonePlain(s);
    expect(act(rmrrV2, s, { op: 'createDomain', dom: 3, static: [], mirrorHost: false, explicit: [] })).toEqual({ ok: false, err: 'ENOMEM' });
    expect(stateDifference(before, s)).toBeUndefined();
  });

  it('bitsOf reads a mask', () => {
    expect(bitsOf(0b10110, 5)).toEqual([1, 2, 4]);
    expect(bitsOf(0b100000, 5)).toEqual([]);
  });
});

describe('destroyDomain', () => {
  it("gives the domain's devices back first (v2: quarantine), then tears it down", () => {
    const s = v2World();
    act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'igd0' });
    act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'nic0' });
    dev(s, 'nic0').inflight.push({ by: 2, device: 'nic0', bfn: 0, write: true });
    const ctx = recorder();
    expect(act(rmrrV2, s, { op: 'destroyDomain', dom: 2 }, ctx)).toEqual({ ok: true });
    expect(dev(s, 'igd0')).toMatchObject({ owner: null, context: 'quarantine' });
    expect(dev(s, 'nic0')).toMatchObject({ owner: null, context: 'quarantine' });
    expect(ctx.notes).toContain('deassign-with-dma-in-flight');
    expect(s.domains[2].state).toBe('dead');
  });

  it('2014: devices go back to the hardware domain', () => {
    const s = world2014();
    act(rmrr2014, s, { op: 'assignDevice', dom: 1, device: 'nic0' });
    act(rmrr2014, s, { op: 'destroyDomain', dom: 1 });
    expect(dev(s, 'nic0')).toMatchObject({ owner: 0, context: 0 });
  });

  it('refuses the hardware domain (EPERM) and a domain not running (ESRCH)', () => {
    const s = v2World();
    expect(act(rmrrV2, s, { op: 'destroyDomain', dom: 0 })).toEqual({ ok: false, err: 'EPERM' });
    expect(act(rmrrV2, s, { op: 'destroyDomain', dom: 3 })).toEqual({ ok: false, err: 'ESRCH' });
    expect(opOf(rmrrV2, 'destroyDomain').resolve(s, { dom: 0 }, recorder().scope)).toBeNull();
  });
});
