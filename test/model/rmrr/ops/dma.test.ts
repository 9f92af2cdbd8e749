import { describe, expect, it } from 'vitest';
import { rmrrV2 } from '../../../../src/model/rmrr/designs/rmrrV2.ts';
import { MAX_INFLIGHT } from '../../../../src/model/rmrr/ops/dma.ts';
import { act, dev, opOf, recorder, v2World } from '../../../fixtures/rmrr.ts';

describe('programDma', () => {
  it('queues a DMA on behalf of the domain driving the device', () => {
    const s = v2World();
    act(rmrrV2, s, { op: 'assignDevice', dom: 1, device: 'nic0' });
    expect(act(rmrrV2, s, { op: 'programDma', dom: 1, device: 'nic0', bfn: 3, write: true })).toEqual({ ok: true });
    expect(dev(s, 'nic0').inflight).toEqual([{ by: 1, device: 'nic0', bfn: 3, write: true }]);
  });

  it.each([
    ['an unknown device', { dom: 0, device: 'gpu9', bfn: 0, write: true }, 'ENOENT'],
    ['a domain not running', { dom: 3, device: 'nic0', bfn: 0, write: true }, 'ESRCH'],
    ['a domain that does not drive the device', { dom: 1, device: 'nic0', bfn: 0, write: true }, 'EPERM'],
    ['a bus address off the end', { dom: 0, device: 'nic0', bfn: 16, write: true }, 'EINVAL'],
    ['a negative bus address', { dom: 0, device: 'nic0', bfn: -1, write: true }, 'EINVAL'],
  ])('refuses %s', (_why, args, err) => {
    expect(act(rmrrV2, v2World(), { op: 'programDma', ...args })).toEqual({ ok: false, err });
  });

  it(`holds at most ${MAX_INFLIGHT} transfers (EBUSY after)`, () => {
    const s = v2World();
    for (let i = 0; i < MAX_INFLIGHT; i++) expect(act(rmrrV2, s, { op: 'programDma', dom: 0, device: 'nic0', bfn: i, write: false }).ok).toBe(true);
    expect(act(rmrrV2, s, { op: 'programDma', dom: 0, device: 'nic0', bfn: 0, write: false })).toEqual({ ok: false, err: 'EBUSY' });
  });

  it("resolves to a device's owner and one of the GFNs mapped in its p2m", () => {
    const s = v2World();
    const args = opOf(rmrrV2, 'programDma').resolve(s, { device: 4, bfn: 2, write: true }, recorder().scope);
    expect(args).toEqual({ dom: 0, device: 'nic0', bfn: 2, write: true });
  });
});

describe('deviceDma', () => {
  it('performs the oldest DMA through the current context and answers the frame', () => {
    const s = v2World();
    act(rmrrV2, s, { op: 'programDma', dom: 0, device: 'nic0', bfn: 1, write: true });
    act(rmrrV2, s, { op: 'programDma', dom: 0, device: 'nic0', bfn: 0, write: true });
    expect(act(rmrrV2, s, { op: 'deviceDma', device: 'nic0' })).toEqual({ ok: true, value: s.domains[0].p2m[1]!.mfn });
    expect(dev(s, 'nic0').inflight).toEqual([{ by: 0, device: 'nic0', bfn: 0, write: true }]);
  });

  it('after a deassignment to quarantine the DMA faults (EFAULT), and is counted', () => {
    const s = v2World();
    act(rmrrV2, s, { op: 'assignDevice', dom: 1, device: 'nic0' });
    act(rmrrV2, s, { op: 'programDma', dom: 1, device: 'nic0', bfn: 0, write: true });
    act(rmrrV2, s, { op: 'deassignDevice', device: 'nic0' });
    const ctx = recorder();
    expect(act(rmrrV2, s, { op: 'deviceDma', device: 'nic0' }, ctx)).toEqual({ ok: false, err: 'EFAULT' });
    expect(ctx.notes).toEqual(['dma-after-deassign-faulted']);
    expect(dev(s, 'nic0').inflight).toEqual([]);
  });

  it('after a deassignment to the hardware domain it lands in dom0, and is counted', () => {
    const s = v2World({ deassignTo: 'hwdom' });
    act(rmrrV2, s, { op: 'assignDevice', dom: 1, device: 'nic0' });
    act(rmrrV2, s, { op: 'programDma', dom: 1, device: 'nic0', bfn: 0, write: true });
    act(rmrrV2, s, { op: 'deassignDevice', device: 'nic0' });
    const ctx = recorder();
    const r = act(rmrrV2, s, { op: 'deviceDma', device: 'nic0' }, ctx);
    expect(r).toEqual({ ok: true, value: s.domains[0].p2m[0]!.mfn });
    expect(s.frames[s.domains[0].p2m[0]!.mfn].owner).toEqual({ kind: 'dom', dom: 0 });
    expect(ctx.notes).toEqual(['dma-after-deassign-landed']);
  });

  it('refuses a device with nothing to do (ENOENT)', () => {
    expect(act(rmrrV2, v2World(), { op: 'deviceDma', device: 'nic0' })).toEqual({ ok: false, err: 'ENOENT' });
    expect(act(rmrrV2, v2World(), { op: 'deviceDma', device: 'gpu9' })).toEqual({ ok: false, err: 'ENOENT' });
    expect(opOf(rmrrV2, 'deviceDma').resolve(v2World(), { device: 0 }, recorder().scope)).toBeNull();
  });
});
