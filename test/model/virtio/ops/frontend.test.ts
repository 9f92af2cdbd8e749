import { describe, expect, it } from 'vitest';
import { deviceDmaFinish, deviceDmaStart, frontendAccess, hypercallFinish, hypercallStart, MAX_IN_FLIGHT } from '../../../../src/model/virtio/ops/frontend.ts';
import { mapBuffer, revoke } from '../../../../src/model/virtio/ops/map.ts';
import { BACKEND, FRONTEND, GPU_BAR, NIC_BAR, NIC_GFN, THIRD, apply, failingStateInvariants, ok, ramOf, world } from '../../../fixtures/virtio.ts';

function mapped(type: 'mmio_direct' | 'mmio_dm' = 'mmio_direct') {
  const s = world();
  ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 }, { mapType: type });
  return s;
}

describe('frontendAccess', () => {
  it('reaches the frame behind an mmio_direct Map', () => {
    expect(apply(mapped(), frontendAccess, { dom: FRONTEND, gfn: 4, write: true }).result).toEqual({ ok: true, value: GPU_BAR });
  });

  it('turns an access to an mmio_dm Map into an IOREQ_TYPE_COPY to the backend', () => {
    const s = mapped('mmio_dm');
    const { result, notes } = apply(s, frontendAccess, { dom: FRONTEND, gfn: 4, write: false });
    expect(result).toEqual({ ok: true });
    expect(notes).toEqual(['ioreq-copy-delivered']);
    expect(s.virtio!.ioreqs).toEqual([{ type: 'copy', dom: FRONTEND, gfn: 4 }]);
  });

  it('faults on a revoked GFN and delivers IOREQ_TYPE_FAULT to the backend', () => {
    const s = mapped();
    ok(s, revoke, { backend: BACKEND, handle: 0 });
    const { result, notes } = apply(s, frontendAccess, { dom: FRONTEND, gfn: 4, write: false });
    expect(result).toEqual({ ok: false, err: 'EFAULT' });
    expect(notes).toEqual(['fault-after-revoke-delivered']);
    expect(s.virtio!.ioreqs).toEqual([{ type: 'fault', dom: FRONTEND, gfn: 4 }]);
  });

  it('faults on a hole outside the range set without an IOREQ; refuses writes to read-only and bad arguments', () => {
    const s = world();
    expect(apply(s, frontendAccess, { dom: FRONTEND, gfn: 9, write: false }).result).toEqual({ ok: false, err: 'EFAULT' });
    expect(s.virtio!.ioreqs).toEqual([]);
    s.domains[FRONTEND].p2m[0] = { ...s.domains[FRONTEND].p2m[0]!, type: 'ram_ro' };
    expect(apply(s, frontendAccess, { dom: FRONTEND, gfn: 0, write: true }).result).toEqual({ ok: false, err: 'EACCES' });
    expect(apply(s, frontendAccess, { dom: FRONTEND, gfn: 99, write: false }).result).toEqual({ ok: false, err: 'EINVAL' });
    expect(apply(s, frontendAccess, { dom: THIRD, gfn: 0, write: false }).result).toEqual({ ok: false, err: 'EINVAL' });
    s.domains[FRONTEND].state = 'dying';
    expect(apply(s, frontendAccess, { dom: FRONTEND, gfn: 0, write: false }).result).toEqual({ ok: false, err: 'ESRCH' });
  });
});

describe('deviceDmaStart / deviceDmaFinish', () => {
  it('starts a DMA through the shared-EPT IOMMU to a Mapped page; it stays in flight until finished', () => {
    const s = mapped();
    const { result, notes } = apply(s, deviceDmaStart, { dom: FRONTEND, bfn: 4, write: true });
    expect(result).toEqual({ ok: true, value: GPU_BAR });
    expect(notes).toEqual(['dma-in-flight-on-mapped-page']);
    expect(s.virtio!.dmas).toEqual([{ by: FRONTEND, device: 'nic0', bfn: 4, mfn: GPU_BAR, gen: 1, write: true }]);
    expect(failingStateInvariants(s)).toEqual([]);
    expect(apply(s, deviceDmaFinish, { index: 0 }).result).toEqual({ ok: true });
    expect(s.virtio!.dmas).toEqual([]);
    expect(apply(s, deviceDmaFinish, { index: 0 }).result).toEqual({ ok: false, err: 'ENOENT' });
  });

  it('faults on mmio_dm, on holes (noting revoked ones) and on writes through read-only entries', () => {
    expect(apply(mapped('mmio_dm'), deviceDmaStart, { dom: FRONTEND, bfn: 4, write: false }).result).toEqual({ ok: false, err: 'EFAULT' });
    const s = mapped();
    ok(s, revoke, { backend: BACKEND, handle: 0 });
    expect(apply(s, deviceDmaStart, { dom: FRONTEND, bfn: 4, write: false })).toEqual({ result: { ok: false, err: 'EFAULT' }, notes: ['dma-to-revoked-gfn-faulted'] });
    s.domains[FRONTEND].p2m[0] = { ...s.domains[FRONTEND].p2m[0]!, type: 'ram_ro' };
    expect(apply(s, deviceDmaStart, { dom: FRONTEND, bfn: 0, write: true }).result).toEqual({ ok: false, err: 'EFAULT' });
  });

  it('is refused for a domain without a device, a dead domain, and past the queue depth', () => {
    const s = world();
    expect(apply(s, deviceDmaStart, { dom: THIRD, bfn: 0, write: false }).result).toEqual({ ok: false, err: 'ENOENT' });
    for (let i = 0; i < MAX_IN_FLIGHT; i++) ok(s, deviceDmaStart, { dom: FRONTEND, bfn: i % 4, write: false });
    expect(apply(s, deviceDmaStart, { dom: FRONTEND, bfn: 0, write: false }).result).toEqual({ ok: false, err: 'EBUSY' });
    s.domains[FRONTEND].state = 'dying';
    expect(apply(s, deviceDmaStart, { dom: FRONTEND, bfn: 0, write: false }).result).toEqual({ ok: false, err: 'ESRCH' });
  });
});

describe('hypercallStart / hypercallFinish', () => {
  it('takes a page reference on a RAM buffer for as long as the hypercall is in flight', () => {
    const s = world();
    const mfn = ramOf(FRONTEND);
    expect(apply(s, hypercallStart, { dom: FRONTEND, gfn: 0, write: true }).result).toEqual({ ok: true, value: 0 });
    expect(s.frames[mfn].refcount).toBe(2);
    expect(s.virtio!.hypercalls).toEqual([{ dom: FRONTEND, gfn: 0, mfn, gen: 1, write: true, counted: true }]);
    expect(failingStateInvariants(s)).toEqual([]);
    expect(apply(s, hypercallFinish, { slot: 0 }).result).toEqual({ ok: true });
    expect(s.frames[mfn].refcount).toBe(1);
    expect(apply(s, hypercallFinish, { slot: 0 }).result).toEqual({ ok: false, err: 'ENOENT' });
  });

  it('fails on a Mapped page as if the frontend did not have it, and on MMIO and holes', () => {
    const s = mapped();
    expect(apply(s, hypercallStart, { dom: FRONTEND, gfn: 4, write: false })).toEqual({ result: { ok: false, err: 'EFAULT' }, notes: ['hypercall-on-mapped-page-refused'] });
    expect(apply(s, hypercallStart, { dom: FRONTEND, gfn: NIC_GFN, write: false }).result).toEqual({ ok: false, err: 'EFAULT' });
    expect(apply(s, hypercallStart, { dom: FRONTEND, gfn: 9, write: false }).result).toEqual({ ok: false, err: 'EFAULT' });
    expect(s.frames[NIC_BAR].refcount).toBe(0);
  });

  it('accepts a read from ram_ro but not a write; refuses past the limit and for dead domains', () => {
    const s = world();
    s.domains[FRONTEND].p2m[1] = { ...s.domains[FRONTEND].p2m[1]!, type: 'ram_ro' };
    expect(apply(s, hypercallStart, { dom: FRONTEND, gfn: 1, write: true }).result).toEqual({ ok: false, err: 'EFAULT' });
    for (let i = 0; i < MAX_IN_FLIGHT; i++) ok(s, hypercallStart, { dom: FRONTEND, gfn: 1, write: false });
    expect(apply(s, hypercallStart, { dom: FRONTEND, gfn: 0, write: false }).result).toEqual({ ok: false, err: 'EBUSY' });
    s.domains[THIRD].state = 'dying';
    expect(apply(s, hypercallStart, { dom: THIRD, gfn: 0, write: false }).result).toEqual({ ok: false, err: 'ESRCH' });
  });
});
