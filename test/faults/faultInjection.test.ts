import { describe, expect, it } from 'vitest';
import type { FalliblePoint } from '../../src/model/core/faults.ts';
import { failNth, randomFaults, recordedFaults } from '../../src/runner/faultInjection.ts';
import type { FaultPlan } from '../../src/runner/faultInjection.ts';

/** Drive a plan through steps, each reaching the given points; the errnos answered, per step. */
function drive(plan: FaultPlan, steps: FalliblePoint[][]): (string | undefined)[][] {
  return steps.map((points, i) => {
    const site = plan.forStep(i);
    const out: (string | undefined)[] = [];
    for (const p of points) {
      const err = site.reach(p);
      out.push(err);
      if (err !== undefined) break; // a failed op stops at its failure
    }
    return out;
  });
}

describe('fault plans', () => {
  it('failNth(n) fails exactly the n-th point along the run, then nothing', () => {
    const steps: FalliblePoint[][] = [['maptrack-entry', 'iommu-pt-page'], ['frame-alloc'], ['p2m-pt-page']];
    const plan = failNth(3);
    expect(drive(plan, steps)).toEqual([[undefined, undefined], ['ENOMEM'], [undefined]]);
    expect(plan.fired()).toBe(true);
    expect(plan.reached()).toBe(4);
    const beyond = failNth(5);
    drive(beyond, steps);
    expect(beyond.fired()).toBe(false);
  });

  it('failNth records the failure on its step: kind, ordinal within the step, errno', () => {
    const plan = failNth(2);
    const site = plan.forStep(0);
    expect(site.reach('maptrack-entry')).toBeUndefined();
    expect(site.reach('iommu-pt-page')).toBe('ENOMEM');
    expect(site.injected()).toEqual({ point: 'iommu-pt-page', at: 2, err: 'ENOMEM' });
    expect(plan.forStep(1).injected()).toBeUndefined();
  });

  it('recordedFaults fails the recorded ordinal only when the kind matches', () => {
    const fault = { point: 'iommu-pt-page' as const, at: 2, err: 'ENOMEM' as const };
    expect(drive(recordedFaults([{}, { fault }]), [['maptrack-entry', 'iommu-pt-page'], ['maptrack-entry', 'iommu-pt-page']])).toEqual([
      [undefined, undefined],
      [undefined, 'ENOMEM'],
    ]);
    // The op changed: its second point is another kind now, so nothing is injected.
    expect(drive(recordedFaults([{ fault }]), [['maptrack-entry', 'p2m-pt-page']])).toEqual([[undefined, undefined]]);
  });

  it('randomFaults: the same seed fails the same points; rate 0 none, rate 1 the first of every step', () => {
    const steps: FalliblePoint[][] = Array.from({ length: 200 }, () => ['maptrack-entry', 'iommu-pt-page'] as FalliblePoint[]);
    const a = drive(randomFaults(9, 0.3), steps);
    expect(drive(randomFaults(9, 0.3), steps)).toEqual(a);
    expect(drive(randomFaults(10, 0.3), steps)).not.toEqual(a);
    const failed = a.filter((s) => s.some((e) => e !== undefined)).length;
    // About 1 - 0.7² = 51% of steps fail one of their two points.
    expect(failed).toBeGreaterThan(70);
    expect(failed).toBeLessThan(135);
    expect(drive(randomFaults(9, 0), steps).flat().every((e) => e === undefined)).toBe(true);
    expect(drive(randomFaults(9, 1), steps).every((s) => s.length === 1 && s[0] === 'ENOSPC')).toBe(true);
  });
});
