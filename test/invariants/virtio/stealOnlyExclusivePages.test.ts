import { describe, expect, it } from 'vitest';
import { stealOnlyExclusivePages } from '../../../invariants/virtio/stealOnlyExclusivePages.ts';
import { clonePlain } from '../../../src/model/core/clone.ts';
import { derive } from '../../../src/model/derived.ts';
import type { State } from '../../../src/model/core/state.ts';
import { hypercallStart } from '../../../src/model/virtio/ops/frontend.ts';
import { mapBuffer } from '../../../src/model/virtio/ops/map.ts';
import { steal } from '../../../src/model/virtio/ops/steal.ts';
import { BACKEND, FRONTEND, GPU_BAR, NIC_GFN, THIRD, apply, designOp, ok, ramOf, world } from '../../fixtures/virtio.ts';

const args = (gfns: number[]) => ({ backend: BACKEND, dom: FRONTEND, gfns, backendGfns: gfns.map((_, i) => 4 + i) });

/** What the invariant says about a real Steal from `before`. */
function realSteal(before: State, gfns: number[]) {
  const after = clonePlain(before);
  const { result } = apply(after, steal, args(gfns));
  return { result, witnesses: stealOnlyExclusivePages.check(before, { op: 'steal', ...args(gfns) }, result, derive(after)) };
}

/** Force a Steal through the way a broken Steal would: skip its checks, do its effect. */
function forcedSteal(before: State, gfn: number) {
  const after = clonePlain(before);
  const e = after.domains[FRONTEND].p2m[gfn]!;
  after.frames[e.mfn].owner = { kind: 'dom', dom: BACKEND };
  after.domains[FRONTEND].p2m[gfn] = { ...e, type: 'mmio_direct' };
  return stealOnlyExclusivePages.check(before, { op: 'steal', ...args([gfn]) }, { ok: true }, derive(after));
}

describe('steal-only-exclusive-pages', () => {
  it('holds for a Steal of exclusive frontend RAM, and for every refusal (nothing changed)', () => {
    expect(realSteal(world(), [0, 1])).toMatchObject({ result: { ok: true }, witnesses: [] });
    const busy = world();
    ok(busy, hypercallStart, { dom: FRONTEND, gfn: 0, write: false });
    expect(realSteal(busy, [0])).toMatchObject({ result: { ok: false }, witnesses: [] });
    expect(realSteal(world(), [NIC_GFN])).toMatchObject({ result: { ok: false }, witnesses: [] });
  });

  it('is violated by a Steal of a page in a hypercall, a granted page, MMIO, a Mapped page and a foreign-mapped page', () => {
    const hc = world();
    ok(hc, hypercallStart, { dom: FRONTEND, gfn: 0, write: false });
    expect(forcedSteal(hc, 0)).toEqual([
      { reason: 'stole-non-exclusive-page', dom: FRONTEND, mfn: ramOf(FRONTEND), holder: { via: 'p2m', dom: FRONTEND, gfn: 0 }, actual: 'also held by hypercall of dom1' },
    ]);
    const granted = world();
    ok(granted, designOp('grantAccess'), { granter: FRONTEND, ref: 0, grantee: THIRD, gfn: 0, readonly: true });
    expect(forcedSteal(granted, 0).map((w) => w.actual)).toEqual(['granted to another domain']);
    expect(forcedSteal(world(), NIC_GFN).map((w) => w.actual)).toEqual(['not RAM the frontend owns']);
    const mapped = world();
    ok(mapped, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: ramOf(BACKEND), gfn: 4 });
    expect(forcedSteal(mapped, 4).map((w) => w.actual)).toEqual(['not RAM the frontend owns']);
    const foreign = world();
    ok(foreign, designOp('mapForeign'), { caller: BACKEND, target: FRONTEND, gfn: 0, callerGfn: 6 });
    expect(forcedSteal(foreign, 0).map((w) => w.actual)).toEqual(['also held by p2m of dom0']);
  });

  it('is violated by a Steal that leaves the page not as if Mapped', () => {
    const w = forcedSteal(world(), 0);
    expect(w).toEqual([{ reason: 'stolen-page-not-as-mapped', dom: FRONTEND, mfn: ramOf(FRONTEND), holder: { via: 'p2m', dom: FRONTEND, gfn: 0 }, actual: 'not Mapped into the frontend by the backend' }]);
    expect(stealOnlyExclusivePages.describe(w[0])).toMatch(/after Steal, dom1 gfn 0x0/);
  });

  it('is violated by a refused Steal that changed something', () => {
    const before = world();
    const after = clonePlain(before);
    after.domains[FRONTEND].totPages -= 1;
    const w = stealOnlyExclusivePages.check(before, { op: 'steal', ...args([0]) }, { ok: false, err: 'EBUSY' }, derive(after));
    expect(w).toEqual([{ reason: 'refused-steal-changed-state', dom: FRONTEND, expected: 'no change', actual: '$.domains[1].totPages' }]);
  });

  it('sees a page the backend GPU reaches as not exclusive', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
    ok(s, designOp('shadowSet'), { client: FRONTEND, slot: 0, gfn: 0 });
    expect(forcedSteal(s, 0).map((w) => w.actual)).toEqual(['also held by iommu of dom0']);
  });
});
