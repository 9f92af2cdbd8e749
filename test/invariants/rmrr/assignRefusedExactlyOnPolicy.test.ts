import { describe, expect, it } from 'vitest';
import { assignRefusedExactlyOnPolicy as inv } from '../../../invariants/rmrr/assignRefusedExactlyOnPolicy.ts';
import { clonePlain } from '../../../src/model/core/clone.ts';
import type { State } from '../../../src/model/core/state.ts';
import { rmrr2014 } from '../../../src/model/rmrr/designs/rmrr2014.ts';
import { rmrrV2 } from '../../../src/model/rmrr/designs/rmrrV2.ts';
import type { Design } from '../../../src/model/core/design.ts';
import type { Action, OpResult } from '../../../src/model/core/op.ts';
import { act, v2World, view, world2014 } from '../../fixtures/rmrr.ts';

function step(design: Design, s: State, action: Action & { dom: number; device: string }) {
  const before = clonePlain(s);
  const result = act(design, s, action);
  return inv.check(before, action, result, view(s));
}

describe('assign-refused-exactly-on-policy', () => {
  it('watches assignDevice', () => {
    expect(inv.ops).toEqual(['assignDevice']);
  });

  it('holds when v2 assigns what the policy allows and refuses what it forbids', () => {
    const s = v2World();
    expect(step(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'igd0' })).toEqual([]);
    expect(step(rmrrV2, s, { op: 'assignDevice', dom: 1, device: 'usb1' })).toEqual([]);
    expect(step(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'usb0' })).toEqual([]);
  });

  it('is violated by an assignment the policy forbids (2014 over guest RAM)', () => {
    const w = step(rmrr2014, world2014(), { op: 'assignDevice', dom: 1, device: 'usb0' });
    expect(w).toEqual([{ reason: 'assigned-against-policy', dom: 1, expected: ['rmrr-conflict'], actual: 'ok', holder: { via: 'device', device: 'usb0' } }]);
    expect(inv.describe(w[0])).toBe('usb0 was assigned to dom1 although the policy refuses it (rmrr-conflict)');
  });

  it('is violated by a refusal the policy does not call for', () => {
    const s = v2World();
    const action = { op: 'assignDevice', dom: 1, device: 'nic0' };
    const refused: OpResult = { ok: false, err: 'EPERM' };
    const w = inv.check(clonePlain(s), action, refused, view(s));
    expect(w).toEqual([{ reason: 'refused-against-policy', dom: 1, expected: 'ok', actual: 'EPERM', holder: { via: 'device', device: 'nic0' } }]);
    expect(inv.describe(w[0])).toBe('assigning nic0 to dom1 failed with EPERM although the policy allows it');
  });

  it('is violated by a refusal that changed something', () => {
    const s = v2World();
    const before = clonePlain(s);
    s.domains[2].p2m[12] = { mfn: 12, type: 'mmio_direct', gen: 0, counted: false };
    const w = inv.check(before, { op: 'assignDevice', dom: 2, device: 'usb0' }, { ok: false, err: 'EBUSY' }, view(s));
    expect(w).toEqual([
      { reason: 'refused-but-changed', dom: 2, expected: 'no change', actual: '$.domains[2].p2m[12]', holder: { via: 'device', device: 'usb0' } },
    ]);
    expect(inv.describe(w[0])).toBe('a refused assignment of usb0 to dom2 still changed $.domains[2].p2m[12]');
  });
});
