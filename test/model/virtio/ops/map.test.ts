import { describe, expect, it } from 'vitest';
import { buildWorld } from '../../../../src/model/core/world.ts';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import { mapBuffer, mapOnward, revoke } from '../../../../src/model/virtio/ops/map.ts';
import { deviceDmaStart, hypercallStart } from '../../../../src/model/virtio/ops/frontend.ts';
import { BACKEND, BYSTANDER, FRONTEND, GPU_BAR, NIC_BAR, THIRD, apply, failingStateInvariants, ok, ramOf, world } from '../../../fixtures/virtio.ts';

describe('mapBuffer', () => {
  it('Maps backend RAM into the frontend with mmio_direct and takes a page reference', () => {
    const s = world();
    const mfn = ramOf(BACKEND);
    const { result, notes } = apply(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn, gfn: 4 });
    expect(result).toEqual({ ok: true, value: 0 });
    expect(notes).toEqual([]);
    expect(s.domains[FRONTEND].p2m[4]).toEqual({ mfn, type: 'mmio_direct', gen: 1, counted: true, map: { handle: 0 } });
    expect(s.frames[mfn].refcount).toBe(2);
    expect(s.virtio!.maps[0]).toEqual({ provider: BACKEND, parent: -1, mfn, gen: 1, dom: FRONTEND, gfn: 4, type: 'mmio_direct' });
    expect(failingStateInvariants(s)).toEqual([]);
  });

  it('Maps a BAR frame without any page bookkeeping, and the p2m type follows the mapType knob', () => {
    const s = world();
    const { result, notes } = apply(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 5 }, { mapType: 'mmio_dm' });
    expect(result.ok).toBe(true);
    expect(notes).toContain('bar-mapped');
    expect(s.domains[FRONTEND].p2m[5]).toMatchObject({ mfn: GPU_BAR, type: 'mmio_dm', counted: false });
    expect(s.frames[GPU_BAR].refcount).toBe(0);
    expect(failingStateInvariants(s)).toEqual([]);
  });

  it('takes the Mapped GFN out of the IOREQ fault range set', () => {
    const s = world();
    s.virtio!.faultRanges = [4, 6];
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
    expect(s.virtio!.faultRanges).toEqual([6]);
  });

  it('checks the backend iomem_caps and ignores the frontend: the NIC BAR the frontend may map is refused', () => {
    const s = world();
    expect(s.virtio!.iomemCaps[FRONTEND]).toContain(NIC_BAR);
    const { result, notes } = apply(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: NIC_BAR, gfn: 4 });
    expect(result).toEqual({ ok: false, err: 'EPERM' });
    expect(notes).toEqual(['map-bar-outside-backend-iomem-refused']);
  });

  it('refuses RAM the backend does not own', () => {
    const s = world();
    expect(apply(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: ramOf(THIRD), gfn: 4 }).result).toEqual({ ok: false, err: 'EPERM' });
  });

  it('refuses a domain the backend is not privileged for', () => {
    const s = world();
    expect(apply(s, mapBuffer, { backend: BACKEND, dom: BYSTANDER, mfn: GPU_BAR, gfn: 4 }).result).toEqual({ ok: false, err: 'EPERM' });
  });

  it('refuses a second direct Map of the same buffer, an occupied GFN, a bad frame and the backend itself', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
    expect(apply(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 5 }).result).toEqual({ ok: false, err: 'EBUSY' });
    expect(apply(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: ramOf(BACKEND), gfn: 0 }).result).toEqual({ ok: false, err: 'EEXIST' });
    expect(apply(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: 999, gfn: 5 }).result).toEqual({ ok: false, err: 'EINVAL' });
    expect(apply(s, mapBuffer, { backend: BACKEND, dom: BACKEND, mfn: GPU_BAR, gfn: 5 }).result).toEqual({ ok: false, err: 'EINVAL' });
  });

  it('refuses a dead frontend, a non-backend caller and a world without virtio-GPU', () => {
    const s = world();
    s.domains[FRONTEND].state = 'dying';
    expect(apply(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 }).result).toEqual({ ok: false, err: 'ESRCH' });
    expect(apply(world(), mapBuffer, { backend: THIRD, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 }).result).toEqual({ ok: false, err: 'EOPNOTSUPP' });
    const plain = buildWorld(DEFAULT_SCOPE, { backendKind: 'pvh', clients: [1] });
    expect(apply(plain, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: 2, gfn: 4 }).result).toEqual({ ok: false, err: 'EOPNOTSUPP' });
  });
});

describe('mapOnward', () => {
  it('re-Maps a Mapped GFN into a domain the frontend serves, as a child of the Map', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: ramOf(BACKEND), gfn: 4 });
    const { result, notes } = apply(s, mapOnward, { provider: FRONTEND, gfn: 4, dom: THIRD, dstGfn: 6 });
    expect(result).toEqual({ ok: true, value: 1 });
    expect(notes).toEqual(['onward-map-made']);
    expect(s.virtio!.maps[1]).toMatchObject({ provider: FRONTEND, parent: 0, dom: THIRD, gfn: 6 });
    expect(s.domains[THIRD].p2m[6]).toMatchObject({ mfn: ramOf(BACKEND), type: 'mmio_direct', map: { handle: 1 } });
    expect(s.frames[ramOf(BACKEND)].refcount).toBe(3);
    expect(failingStateInvariants(s)).toEqual([]);
  });

  it('is refused without the onwardMap knob, for unMapped GFNs, non-targets, occupied slots and itself', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
    expect(apply(s, mapOnward, { provider: FRONTEND, gfn: 4, dom: THIRD, dstGfn: 6 }, { onwardMap: false }).result).toEqual({ ok: false, err: 'EOPNOTSUPP' });
    expect(apply(s, mapOnward, { provider: FRONTEND, gfn: 0, dom: THIRD, dstGfn: 6 }).result).toEqual({ ok: false, err: 'EINVAL' });
    expect(apply(s, mapOnward, { provider: FRONTEND, gfn: 4, dom: BYSTANDER, dstGfn: 6 }).result).toEqual({ ok: false, err: 'EPERM' });
    expect(apply(s, mapOnward, { provider: FRONTEND, gfn: 4, dom: THIRD, dstGfn: 0 }).result).toEqual({ ok: false, err: 'EEXIST' });
    expect(apply(s, mapOnward, { provider: FRONTEND, gfn: 4, dom: FRONTEND, dstGfn: 6 }).result).toEqual({ ok: false, err: 'EINVAL' });
    s.domains[THIRD].state = 'dying';
    expect(apply(s, mapOnward, { provider: FRONTEND, gfn: 4, dom: THIRD, dstGfn: 6 }).result).toEqual({ ok: false, err: 'ESRCH' });
  });
});

describe('revoke', () => {
  function mappedWithOnward() {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: ramOf(BACKEND), gfn: 4 });
    ok(s, mapOnward, { provider: FRONTEND, gfn: 4, dom: THIRD, dstGfn: 6 });
    return s;
  }

  it('removes the Map and its onward Maps, drops their references and arms the fault range', () => {
    const s = mappedWithOnward();
    const { result, notes } = apply(s, revoke, { backend: BACKEND, handle: 0 });
    expect(result).toEqual({ ok: true });
    expect(notes).toEqual(['revoke-with-onward-maps']);
    expect(s.domains[FRONTEND].p2m[4]).toBeNull();
    expect(s.domains[THIRD].p2m[6]).toBeNull();
    expect(s.virtio!.maps).toEqual([null, null]);
    expect(s.virtio!.faultRanges).toEqual([4]);
    expect(s.frames[ramOf(BACKEND)].refcount).toBe(1);
    expect(failingStateInvariants(s)).toEqual([]);
  });

  it('drains DMA in flight on the range (the IOTLB flush waits for it) and notes in-flight work', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
    ok(s, deviceDmaStart, { dom: FRONTEND, bfn: 4, write: true });
    ok(s, hypercallStart, { dom: FRONTEND, gfn: 0, write: false });
    const { result, notes } = apply(s, revoke, { backend: BACKEND, handle: 0 });
    expect(result.ok).toBe(true);
    expect(notes).toEqual(['revoke-dma-in-flight-on-range', 'revoke-hypercall-in-flight']);
    expect(s.virtio!.dmas).toEqual([]);
    expect(s.virtio!.hypercalls).toHaveLength(1);
  });

  it('notes a hypercall in flight on a revoked GFN that held another frame before the Map landed there', () => {
    const s = world();
    ok(s, hypercallStart, { dom: FRONTEND, gfn: 0, write: false });
    s.domains[FRONTEND].p2m[0] = null;
    s.frames[ramOf(FRONTEND)].refcount -= 1;
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 0 });
    expect(apply(s, revoke, { backend: BACKEND, handle: 0 }).notes).toContain('revoke-hypercall-in-flight-on-range');
  });

  it('without transitiveRevoke leaves the onward Map live, hanging from nothing', () => {
    const s = mappedWithOnward();
    expect(apply(s, revoke, { backend: BACKEND, handle: 0 }, { transitiveRevoke: false }).result.ok).toBe(true);
    expect(s.domains[THIRD].p2m[6]).toMatchObject({ mfn: ramOf(BACKEND), map: { handle: 1 } });
    expect(s.virtio!.maps[1]).toMatchObject({ provider: FRONTEND, parent: -1 });
    expect(failingStateInvariants(s)).toEqual(['no-foreign-reach']);
  });

  it('refuses unknown handles, onward handles, other callers and a dead backend', () => {
    const s = mappedWithOnward();
    expect(apply(s, revoke, { backend: BACKEND, handle: 7 }).result).toEqual({ ok: false, err: 'ENOENT' });
    expect(apply(s, revoke, { backend: BACKEND, handle: 1 }).result).toEqual({ ok: false, err: 'EPERM' });
    expect(apply(s, revoke, { backend: FRONTEND, handle: 0 }).result).toEqual({ ok: false, err: 'EPERM' });
    s.domains[BACKEND].state = 'dying';
    expect(apply(s, revoke, { backend: BACKEND, handle: 0 }).result).toEqual({ ok: false, err: 'ESRCH' });
    const plain = buildWorld(DEFAULT_SCOPE, { backendKind: 'pvh', clients: [1] });
    expect(apply(plain, revoke, { backend: BACKEND, handle: 0 }).result).toEqual({ ok: false, err: 'EOPNOTSUPP' });
  });

  it('succeeds on a Map whose entry a dead frontend already lost', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
    s.domains[FRONTEND].p2m[4] = null;
    expect(apply(s, revoke, { backend: BACKEND, handle: 0 }).result).toEqual({ ok: true });
    expect(s.virtio!.maps[0]).toBeNull();
  });
});
