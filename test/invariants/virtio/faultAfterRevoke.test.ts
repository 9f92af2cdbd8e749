import { describe, expect, it } from 'vitest';
import { faultAfterRevoke } from '../../../invariants/virtio/faultAfterRevoke.ts';
import { clonePlain } from '../../../src/model/core/clone.ts';
import { derive } from '../../../src/model/derived.ts';
import { frontendAccess } from '../../../src/model/virtio/ops/frontend.ts';
import { mapBuffer, revoke } from '../../../src/model/virtio/ops/map.ts';
import { BACKEND, FRONTEND, GPU_BAR, apply, ok, world } from '../../fixtures/virtio.ts';

function revoked() {
  const s = world();
  ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
  ok(s, revoke, { backend: BACKEND, handle: 0 });
  return s;
}
const action = { op: 'frontendAccess', dom: FRONTEND, gfn: 4, write: false };

describe('fault-after-revoke', () => {
  it('holds for a real access to a revoked GFN', () => {
    const before = revoked();
    const after = clonePlain(before);
    const { result } = apply(after, frontendAccess, { dom: FRONTEND, gfn: 4, write: false });
    expect(faultAfterRevoke.check(before, action, result, derive(after))).toEqual([]);
  });

  it('asks nothing of GFNs never revoked or populated again', () => {
    const before = world();
    expect(faultAfterRevoke.check(before, action, { ok: false, err: 'EFAULT' }, derive(before))).toEqual([]);
    const repopulated = revoked();
    repopulated.domains[FRONTEND].p2m[4] = { mfn: GPU_BAR, type: 'mmio_direct', gen: 1, counted: false };
    expect(faultAfterRevoke.check(repopulated, action, { ok: true, value: GPU_BAR }, derive(repopulated))).toEqual([]);
  });

  it('is violated by an access to a revoked GFN that gets through', () => {
    const before = revoked();
    const w = faultAfterRevoke.check(before, action, { ok: true, value: GPU_BAR }, derive(clonePlain(before)));
    expect(w).toEqual([{ reason: 'revoked-gfn-accessed', dom: FRONTEND, holder: { via: 'ioreqFaultRange', dom: FRONTEND, gfn: 4 }, expected: 'fault', actual: GPU_BAR }]);
    expect(faultAfterRevoke.describe(w[0])).toMatch(/accessed revoked gfn 0x4 and got through/);
  });

  it('is violated by a fault the backend never hears of, or hears of as a copy', () => {
    const before = revoked();
    const silent = faultAfterRevoke.check(before, action, { ok: false, err: 'EFAULT' }, derive(clonePlain(before)));
    expect(silent.map((w) => [w.reason, w.actual])).toEqual([['fault-not-delivered', 'none']]);
    const copy = clonePlain(before);
    copy.virtio!.ioreqs.push({ type: 'copy', dom: FRONTEND, gfn: 4 });
    const wrong = faultAfterRevoke.check(before, action, { ok: false, err: 'EFAULT' }, derive(copy));
    expect(wrong.map((w) => w.actual)).toEqual(['copy for gfn 0x4']);
  });
});
