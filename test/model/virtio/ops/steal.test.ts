import { describe, expect, it } from 'vitest';
import { clonePlain } from '../../../../src/model/core/clone.ts';
import { stateDifference } from '../../../../src/model/core/equal.ts';
import type { State } from '../../../../src/model/core/state.ts';
import { mapForDma } from '../../../../src/model/core/ops/dmaAddress.ts';
import { makeShadowSet } from '../../../../src/model/core/ops/dmaTableOps.ts';
import type { ArgRecord } from '../../../../src/model/core/op.ts';
import { hypercallStart } from '../../../../src/model/virtio/ops/frontend.ts';
import { mapBuffer, mapOnward } from '../../../../src/model/virtio/ops/map.ts';
import { returnPages, steal } from '../../../../src/model/virtio/ops/steal.ts';
import { BACKEND, FRONTEND, GPU_BAR, NIC_GFN, THIRD, apply, designOp, failingStateInvariants, ok, ramOf, world } from '../../../fixtures/virtio.ts';

const STEAL_GFN0 = { backend: BACKEND, dom: FRONTEND, gfns: [0], backendGfns: [4] };

/** Steal must refuse with `err`, note `situation`, and change nothing. */
function expectRefused(s: State, args: ArgRecord, err: string, situation?: string, over = {}) {
  const before = clonePlain(s);
  const { result, notes } = apply(s, steal, args, over);
  expect(result).toEqual({ ok: false, err });
  expect(notes).toEqual(situation === undefined ? [] : [situation]);
  expect(stateDifference(before, s)).toBeUndefined();
}

describe('steal', () => {
  it('turns frontend RAM into a backend page, mapped by the backend and Mapped in the frontend; quota moves', () => {
    const s = world();
    const mfn = ramOf(FRONTEND);
    const { result, notes } = apply(s, steal, STEAL_GFN0);
    expect(result).toEqual({ ok: true, value: 0 });
    expect(notes).toEqual(['steal-succeeded']);
    expect(s.frames[mfn]).toMatchObject({ owner: { kind: 'dom', dom: BACKEND }, refcount: 2, gen: 1 });
    expect(s.domains[FRONTEND].totPages).toBe(3);
    expect(s.domains[BACKEND].totPages).toBe(5);
    expect(s.domains[BACKEND].p2m[4]).toEqual({ mfn, type: 'ram_rw', gen: 1, counted: true });
    expect(s.domains[FRONTEND].p2m[0]).toEqual({ mfn, type: 'mmio_direct', gen: 1, counted: true, map: { handle: 0 } });
    expect(s.virtio!.maps[0]).toMatchObject({ provider: BACKEND, parent: -1, dom: FRONTEND, gfn: 0 });
    expect(s.virtio!.stolen).toEqual([{ mfn, gen: 1 }]);
    expect(failingStateInvariants(s)).toEqual([]);
  });

  it('steals two pages at once', () => {
    const s = world();
    expect(apply(s, steal, { backend: BACKEND, dom: FRONTEND, gfns: [1, 2], backendGfns: [4, 5] }).result.ok).toBe(true);
    expect(s.domains[FRONTEND].totPages).toBe(2);
    expect(s.domains[BACKEND].totPages).toBe(6);
    expect(failingStateInvariants(s)).toEqual([]);
  });

  it('refuses a page in use in a hypercall', () => {
    const s = world();
    ok(s, hypercallStart, { dom: FRONTEND, gfn: 0, write: true });
    expectRefused(s, STEAL_GFN0, 'EBUSY', 'steal-refused-in-hypercall');
  });

  it('refuses MMIO: the frontend NIC BAR', () => {
    expectRefused(world(), { ...STEAL_GFN0, gfns: [NIC_GFN] }, 'EINVAL', 'steal-refused-mmio');
  });

  it('refuses pages provided by another domain: by Map, by grant, by foreign map', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
    expectRefused(s, { ...STEAL_GFN0, gfns: [4] }, 'EPERM', 'steal-refused-provided-by-other');
    const g = world();
    ok(g, designOp('grantAccess'), { granter: THIRD, ref: 0, grantee: FRONTEND, gfn: 0, readonly: false });
    ok(g, designOp('mapGrant'), { grantee: FRONTEND, granter: THIRD, ref: 0, readonly: false, hostGfn: 5, deviceBfn: -1 });
    expectRefused(g, { ...STEAL_GFN0, gfns: [5] }, 'EPERM', 'steal-refused-provided-by-other');
    const f = world();
    ok(f, designOp('mapForeign'), { caller: FRONTEND, target: THIRD, gfn: 0, callerGfn: 6 });
    expectRefused(f, { ...STEAL_GFN0, gfns: [6] }, 'EPERM', 'steal-refused-provided-by-other');
  });

  it('refuses a page someone foreign-maps', () => {
    const s = world();
    ok(s, designOp('mapForeign'), { caller: BACKEND, target: FRONTEND, gfn: 0, callerGfn: 6 });
    expectRefused(s, STEAL_GFN0, 'EBUSY', 'steal-refused-foreign-mapped');
  });

  it('refuses a granted page, mapped or not', () => {
    const s = world();
    ok(s, designOp('grantAccess'), { granter: FRONTEND, ref: 0, grantee: THIRD, gfn: 0, readonly: true });
    expectRefused(s, STEAL_GFN0, 'EBUSY', 'steal-refused-granted');
  });

  it('refuses a page otherwise reachable: the backend GPU maps it for DMA', () => {
    const s = world();
    ok(s, makeShadowSet(mapForDma), { client: FRONTEND, slot: 0, gfn: 0 });
    expectRefused(s, STEAL_GFN0, 'EBUSY', 'steal-refused-accessible');
  });

  it('changes nothing when only the second page is refused', () => {
    const s = world();
    ok(s, hypercallStart, { dom: FRONTEND, gfn: 1, write: false });
    expectRefused(s, { backend: BACKEND, dom: FRONTEND, gfns: [0, 1], backendGfns: [4, 5] }, 'EBUSY', 'steal-refused-in-hypercall');
  });

  it('refuses when the backend would exceed max_pages', () => {
    const s = world();
    s.domains[BACKEND].maxPages = 4;
    expectRefused(s, STEAL_GFN0, 'ENOMEM', 'steal-refused-backend-quota');
  });

  it('refuses bad arguments, non-targets, dead domains, missing pages and steal=false', () => {
    expectRefused(world(), { ...STEAL_GFN0, gfns: [4] }, 'ENOENT', 'steal-refused-not-present');
    expectRefused(world(), { ...STEAL_GFN0, gfns: [] , backendGfns: [] }, 'EINVAL');
    expectRefused(world(), { ...STEAL_GFN0, gfns: [0, 0], backendGfns: [4, 5] }, 'EINVAL');
    expectRefused(world(), { ...STEAL_GFN0, gfns: [0, 1, 2], backendGfns: [4, 5, 6] }, 'EINVAL');
    expectRefused(world(), { ...STEAL_GFN0, gfns: [99] }, 'EINVAL');
    expectRefused(world(), { ...STEAL_GFN0, backendGfns: [0] }, 'EEXIST');
    expectRefused(world(), { ...STEAL_GFN0, dom: THIRD }, 'EPERM');
    expectRefused(world(), { ...STEAL_GFN0, dom: BACKEND }, 'EINVAL');
    expectRefused(world(), STEAL_GFN0, 'EOPNOTSUPP', undefined, { steal: false });
    expectRefused(world(), { ...STEAL_GFN0, backend: THIRD }, 'EOPNOTSUPP');
    const s = world();
    s.domains[FRONTEND].state = 'dying';
    expectRefused(s, STEAL_GFN0, 'ESRCH');
  });
});

describe('returnPages', () => {
  it('after Steal gives the page back: owner, quota and a ram_rw entry move; the backend keeps no mapping', () => {
    const s = world();
    const mfn = ramOf(FRONTEND);
    ok(s, steal, STEAL_GFN0);
    const { result, notes } = apply(s, returnPages, { backend: BACKEND, handle: 0 });
    expect(result).toEqual({ ok: true, value: mfn });
    expect(notes).toEqual(['return-after-steal']);
    expect(s.frames[mfn]).toMatchObject({ owner: { kind: 'dom', dom: FRONTEND }, refcount: 1 });
    expect(s.domains[FRONTEND].p2m[0]).toEqual({ mfn, type: 'ram_rw', gen: 1, counted: true });
    expect(s.domains[BACKEND].p2m[4]).toBeNull();
    expect(s.domains[FRONTEND].totPages).toBe(4);
    expect(s.domains[BACKEND].totPages).toBe(4);
    expect(s.virtio!.maps[0]).toBeNull();
    expect(s.virtio!.stolen).toEqual([]);
    expect(failingStateInvariants(s)).toEqual([]);
  });

  it('returns a backend RAM buffer that was only ever Mapped', () => {
    const s = world();
    const mfn = ramOf(BACKEND, 1);
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn, gfn: 4 });
    const { result, notes } = apply(s, returnPages, { backend: BACKEND, handle: 0 });
    expect(result.ok).toBe(true);
    expect(notes).toEqual([]);
    expect(s.domains[BACKEND].p2m[1]).toBeNull();
    expect(s.domains[FRONTEND].p2m[4]).toMatchObject({ mfn, type: 'ram_rw' });
    expect(failingStateInvariants(s)).toEqual([]);
  });

  it('refuses a BAR, a Map with onward Maps, a frontend at max_pages and a page someone else holds', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
    expect(apply(s, returnPages, { backend: BACKEND, handle: 0 })).toEqual({ result: { ok: false, err: 'EINVAL' }, notes: ['return-of-bar-refused'] });
    const o = world();
    ok(o, steal, STEAL_GFN0);
    ok(o, mapOnward, { provider: FRONTEND, gfn: 0, dom: THIRD, dstGfn: 6 });
    expect(apply(o, returnPages, { backend: BACKEND, handle: 0 })).toEqual({ result: { ok: false, err: 'EBUSY' }, notes: ['return-refused-onward-maps'] });
    const q = world();
    ok(q, steal, STEAL_GFN0);
    q.domains[FRONTEND].maxPages = 3;
    expect(apply(q, returnPages, { backend: BACKEND, handle: 0 }).result).toEqual({ ok: false, err: 'ENOMEM' });
    const g = world();
    ok(g, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: ramOf(BACKEND), gfn: 4 });
    ok(g, designOp('grantAccess'), { granter: BACKEND, ref: 0, grantee: THIRD, gfn: 0, readonly: false });
    ok(g, designOp('mapGrant'), { grantee: THIRD, granter: BACKEND, ref: 0, readonly: false, hostGfn: 6, deviceBfn: -1 });
    const before = clonePlain(g);
    expect(apply(g, returnPages, { backend: BACKEND, handle: 0 })).toEqual({ result: { ok: false, err: 'EBUSY' }, notes: ['return-refused-shared'] });
    expect(stateDifference(before, g)).toBeUndefined();
  });

  it('refuses unknown handles, onward handles, lost entries, dead domains and steal=false', () => {
    const s = world();
    ok(s, steal, STEAL_GFN0);
    ok(s, mapOnward, { provider: FRONTEND, gfn: 0, dom: THIRD, dstGfn: 6 });
    expect(apply(s, returnPages, { backend: BACKEND, handle: 5 }).result).toEqual({ ok: false, err: 'ENOENT' });
    expect(apply(s, returnPages, { backend: BACKEND, handle: 1 }).result).toEqual({ ok: false, err: 'EPERM' });
    expect(apply(s, returnPages, { backend: BACKEND, handle: 0 }, { steal: false }).result).toEqual({ ok: false, err: 'EOPNOTSUPP' });
    const lost = world();
    ok(lost, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: ramOf(BACKEND), gfn: 4 });
    lost.domains[FRONTEND].p2m[4] = null;
    expect(apply(lost, returnPages, { backend: BACKEND, handle: 0 }).result).toEqual({ ok: false, err: 'ENOENT' });
    const dead = world();
    ok(dead, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: ramOf(BACKEND), gfn: 4 });
    dead.domains[FRONTEND].state = 'dying';
    expect(apply(dead, returnPages, { backend: BACKEND, handle: 0 }).result).toEqual({ ok: false, err: 'ESRCH' });
    dead.domains[BACKEND].state = 'dying';
    expect(apply(dead, returnPages, { backend: BACKEND, handle: 0 }).result).toEqual({ ok: false, err: 'ESRCH' });
    const foreign = world();
    ok(foreign, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: ramOf(BACKEND), gfn: 4 });
    foreign.frames[ramOf(BACKEND)].owner = { kind: 'dom', dom: THIRD };
    expect(apply(foreign, returnPages, { backend: BACKEND, handle: 0 }).result).toEqual({ ok: false, err: 'EPERM' });
  });
});
