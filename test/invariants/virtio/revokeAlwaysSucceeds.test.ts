import { describe, expect, it } from 'vitest';
import { revokeAlwaysSucceeds } from '../../../invariants/virtio/revokeAlwaysSucceeds.ts';
import { clonePlain } from '../../../src/model/core/clone.ts';
import { derive } from '../../../src/model/derived.ts';
import { mapBuffer, revoke } from '../../../src/model/virtio/ops/map.ts';
import { BACKEND, FRONTEND, GPU_BAR, apply, ok, world } from '../../fixtures/virtio.ts';

function mapped() {
  const s = world();
  ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
  return s;
}
const action = { op: 'revoke', backend: BACKEND, handle: 0 };

describe('revoke-always-succeeds', () => {
  it('holds for a real Revoke of a live Map', () => {
    const before = mapped();
    const after = clonePlain(before);
    const { result } = apply(after, revoke, { backend: BACKEND, handle: 0 });
    expect(revokeAlwaysSucceeds.check(before, action, result, derive(after))).toEqual([]);
  });

  it('does not ask anything of a Revoke of no live Map', () => {
    const before = world();
    expect(revokeAlwaysSucceeds.check(before, action, { ok: false, err: 'ENOENT' }, derive(before))).toEqual([]);
  });

  it('is violated by a Revoke of a live Map that fails', () => {
    const before = mapped();
    const w = revokeAlwaysSucceeds.check(before, action, { ok: false, err: 'EBUSY' }, derive(clonePlain(before)));
    expect(w).toEqual([{ reason: 'revoke-failed', dom: BACKEND, mfn: GPU_BAR, expected: 'ok', actual: 'EBUSY', holder: { via: 'virtioMap', handle: 0 } }]);
    expect(revokeAlwaysSucceeds.describe(w[0])).toMatch(/failed with EBUSY/);
  });

  it('is violated by a Revoke that answers success but leaves the Map live (deferred, not prompt)', () => {
    const before = mapped();
    const w = revokeAlwaysSucceeds.check(before, action, { ok: true }, derive(clonePlain(before)));
    expect(w.map((x) => x.reason)).toEqual(['revoke-left-map-live']);
  });
});
