/** The core invariants on worlds with reserved (RMRR) frames: mayReach's adaptation, refcounts, quota. */
import { describe, expect, it } from 'vitest';
import { mayReach, noForeignReach } from '../../../invariants/core/noForeignReach.ts';
import { quotaMatchesOwnership } from '../../../invariants/core/quotaMatchesOwnership.ts';
import { refcountsMatchRefs } from '../../../invariants/core/refcountsMatchRefs.ts';
import { rmrrV2 } from '../../../src/model/rmrr/designs/rmrrV2.ts';
import { act, dev, v2World, view } from '../../fixtures/rmrr.ts';

describe('no-foreign-reach with RMRRs', () => {
  it("an identity map of a device's RMRR in the domain it is assigned to is legitimate reach", () => {
    const s = v2World();
    act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'igd0' });
    expect(noForeignReach.check(view(s))).toEqual([]);
    expect(mayReach(s, { principal: { kind: 'cpu', dom: 2 }, mfn: 12, write: true, path: [] })).toBe(true);
  });

  it('an RMRR mapped into a domain none of whose devices uses it is flagged, and said so', () => {
    const s = v2World();
    s.domains[1].p2m[12] = { mfn: 12, type: 'mmio_direct', gen: 0, counted: false };
    const w = noForeignReach.check(view(s));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ principal: { kind: 'cpu', dom: 1 }, mfn: 12, frame: { owner: { kind: 'reserved' } } });
    expect(noForeignReach.describe(w[0])).toMatch(/owner reserved \(RMRR\).*the frame is an RMRR no device of dom1 uses$/);
  });

  it('a device may reach its own RMRR whoever it acts for', () => {
    const s = v2World();
    expect(mayReach(s, { principal: { kind: 'device', dom: 1, device: 'igd0' }, mfn: 12, write: true, path: [] })).toBe(true);
    expect(mayReach(s, { principal: { kind: 'device', dom: 1, device: 'nic0' }, mfn: 12, write: true, path: [] })).toBe(false);
  });

  it("still flags a device's DMA into another domain", () => {
    const s = v2World();
    dev(s, 'nic0').inflight.push({ by: 1, device: 'nic0', bfn: 0, write: true });
    expect(noForeignReach.check(view(s)).map((w) => w.principal)).toEqual([{ kind: 'device', dom: 1, device: 'nic0' }]);
  });
});

describe('accounting with reserved frames', () => {
  it('reserved frames carry no refcount and count in no quota', () => {
    const s = v2World();
    act(rmrrV2, s, { op: 'assignDevice', dom: 2, device: 'igd0' });
    expect(refcountsMatchRefs.check(view(s))).toEqual([]);
    expect(quotaMatchesOwnership.check(view(s))).toEqual([]);
  });

  it('an identity map that took a reference would be caught', () => {
    const s = v2World();
    s.domains[0].p2m[12] = { ...s.domains[0].p2m[12]!, counted: true };
    expect(refcountsMatchRefs.check(view(s))).toMatchObject([{ reason: 'refcount-mismatch', mfn: 12, expected: 1, actual: 0 }]);
  });
});
