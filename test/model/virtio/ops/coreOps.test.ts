import { describe, expect, it } from 'vitest';
import { deviceDmaStart, hypercallStart } from '../../../../src/model/virtio/ops/frontend.ts';
import { mapBuffer } from '../../../../src/model/virtio/ops/map.ts';
import { BACKEND, FRONTEND, GPU_BAR, THIRD, apply, designOp, failingStateInvariants, ok, ramOf, world } from '../../../fixtures/virtio.ts';

describe('grantAccess and mapForeign aimed at Mapped GFNs', () => {
  it('the core refuses a grant of a Mapped GFN (MMIO p2m type) and the refusal is counted', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
    const { result, notes } = apply(s, designOp('grantAccess'), { granter: FRONTEND, ref: 0, grantee: THIRD, gfn: 4, readonly: false });
    expect(result).toEqual({ ok: false, err: 'EINVAL' });
    expect(notes).toEqual(['grant-of-mapped-page-refused']);
  });

  it('with mapType=ram_rw the grant goes through and a third domain maps backend memory', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: ramOf(BACKEND), gfn: 4 }, { mapType: 'ram_rw' });
    ok(s, designOp('grantAccess'), { granter: FRONTEND, ref: 0, grantee: THIRD, gfn: 4, readonly: false }, { mapType: 'ram_rw' });
    ok(s, designOp('mapGrant'), { grantee: THIRD, granter: FRONTEND, ref: 0, readonly: false, hostGfn: 6, deviceBfn: -1 });
    expect(s.domains[THIRD].p2m[6]).toMatchObject({ mfn: ramOf(BACKEND), type: 'grant_map_rw' });
    expect(failingStateInvariants(s)).toEqual(['no-foreign-reach', 'mapped-pages-never-ram-rw']);
  });

  it('the core refuses a foreign map of a Mapped GFN and the refusal is counted', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
    const { result, notes } = apply(s, designOp('mapForeign'), { caller: BACKEND, target: FRONTEND, gfn: 4, callerGfn: 6 });
    expect(result).toEqual({ ok: false, err: 'EINVAL' });
    expect(notes).toEqual(['foreign-map-of-mapped-page-refused']);
  });
});

describe("Xen's housekeeping after core operations", () => {
  it('destroying the frontend abandons its hypercalls in flight and drops their references', () => {
    const s = world();
    ok(s, hypercallStart, { dom: FRONTEND, gfn: 0, write: true });
    ok(s, designOp('destroyDomain'), { dom: FRONTEND });
    expect(s.virtio!.hypercalls).toEqual([]);
    expect(s.frames[ramOf(FRONTEND)].owner).toEqual({ kind: 'free' });
    expect(s.domains[FRONTEND].state).toBe('dead');
    expect(failingStateInvariants(s)).toEqual([]);
  });

  it('ballooning out a page drains the DMA in flight to it (IOTLB flush)', () => {
    const s = world();
    ok(s, deviceDmaStart, { dom: FRONTEND, bfn: 0, write: true });
    ok(s, deviceDmaStart, { dom: FRONTEND, bfn: 1, write: true });
    ok(s, designOp('decreaseReservation'), { dom: FRONTEND, gfn: 0 });
    expect(s.virtio!.dmas.map((x) => x.bfn)).toEqual([1]);
  });
});
