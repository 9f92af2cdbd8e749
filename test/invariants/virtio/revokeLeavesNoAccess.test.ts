import { describe, expect, it } from 'vitest';
import { revokeLeavesNoAccess } from '../../../invariants/virtio/revokeLeavesNoAccess.ts';
import { clonePlain } from '../../../src/model/core/clone.ts';
import { derive } from '../../../src/model/derived.ts';
import type { State } from '../../../src/model/core/state.ts';
import { deviceDmaStart, hypercallStart } from '../../../src/model/virtio/ops/frontend.ts';
import { mapBuffer, mapOnward, revoke } from '../../../src/model/virtio/ops/map.ts';
import { BACKEND, FRONTEND, THIRD, apply, designOp, ok, ramOf, world } from '../../fixtures/virtio.ts';

const action = { op: 'revoke', backend: BACKEND, handle: 0 };
const BUF = ramOf(BACKEND);

/** Check the invariant over a Revoke applied with these knobs. */
function revokeAndCheck(before: State, over = {}) {
  const after = clonePlain(before);
  const { result } = apply(after, revoke, { backend: BACKEND, handle: 0 }, over);
  return { after, witnesses: revokeLeavesNoAccess.check(before, action, result, derive(after)) };
}

describe('revoke-leaves-no-access', () => {
  it('holds after a transitive Revoke with an onward Map and a DMA in flight', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: BUF, gfn: 4 });
    ok(s, mapOnward, { provider: FRONTEND, gfn: 4, dom: THIRD, dstGfn: 6 });
    ok(s, deviceDmaStart, { dom: FRONTEND, bfn: 4, write: true });
    expect(revokeAndCheck(s).witnesses).toEqual([]);
  });

  it('does not count access the backend handed out itself (its own grant)', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: BUF, gfn: 4 });
    ok(s, designOp('grantAccess'), { granter: BACKEND, ref: 0, grantee: THIRD, gfn: 0, readonly: false });
    ok(s, designOp('mapGrant'), { grantee: THIRD, granter: BACKEND, ref: 0, readonly: false, hostGfn: 6, deviceBfn: -1 });
    expect(revokeAndCheck(s).witnesses).toEqual([]);
  });

  it('is violated by an onward Map a non-transitive Revoke leaves behind', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: BUF, gfn: 4 });
    ok(s, mapOnward, { provider: FRONTEND, gfn: 4, dom: THIRD, dstGfn: 6 });
    const { witnesses } = revokeAndCheck(s, { transitiveRevoke: false });
    expect(witnesses.map((w) => [w.principal, w.path])).toEqual([
      [{ kind: 'cpu', dom: THIRD }, [{ via: 'p2m', dom: THIRD, gfn: 6, type: 'mmio_direct' }, { via: 'virtioMap', handle: 1 }]],
    ]);
    expect(revokeLeavesNoAccess.describe(witnesses[0])).toMatch(/dom2 CPU → dom2 p2m gfn 0x6 .* after dom0 revoked it/);
  });

  it('is violated by a grant mapping and a hypercall in flight on a ram_rw Map', () => {
    const s = world();
    const rw = { mapType: 'ram_rw' };
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: BUF, gfn: 4 }, rw);
    ok(s, designOp('grantAccess'), { granter: FRONTEND, ref: 0, grantee: THIRD, gfn: 4, readonly: false });
    ok(s, designOp('mapGrant'), { grantee: THIRD, granter: FRONTEND, ref: 0, readonly: false, hostGfn: 6, deviceBfn: -1 });
    ok(s, hypercallStart, { dom: FRONTEND, gfn: 4, write: true });
    const { witnesses } = revokeAndCheck(s, rw);
    expect(witnesses.map((w) => `${w.principal!.kind}${w.principal!.dom} ${w.path!.map((h) => h.via).join('>')}`).sort()).toEqual([
      'cpu1 hypercall',
      'cpu2 p2m>grant',
    ]);
  });

  it('is violated by a DMA in flight that a Revoke forgot to drain', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: BUF, gfn: 4 });
    ok(s, deviceDmaStart, { dom: FRONTEND, bfn: 4, write: true });
    const after = clonePlain(s);
    after.domains[FRONTEND].p2m[4] = null;
    after.virtio!.maps[0] = null;
    const w = revokeLeavesNoAccess.check(s, action, { ok: true }, derive(after));
    expect(w.map((x) => x.path)).toEqual([[{ via: 'dmaInFlight', dom: FRONTEND, device: 'nic0', bfn: 4 }]]);
  });

  it('says nothing about a refused Revoke', () => {
    const s = world();
    expect(revokeLeavesNoAccess.check(s, action, { ok: false, err: 'ENOENT' }, derive(s))).toEqual([]);
  });
});
