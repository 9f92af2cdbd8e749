import { describe, expect, it } from 'vitest';
import { planFlatLayout, planReservingLayout, requestedRmrrs } from '../../../../src/model/rmrr/ops/domainBuilder.ts';
import { v2World } from '../../../fixtures/rmrr.ts';

const p = () => v2World().platform!;
const none = { static: [], mirrorHost: false, explicit: [] };

describe('requestedRmrrs: what a configuration asks the builder to reserve', () => {
  it('nothing for a guest without devices (Guideline-1)', () => {
    expect(requestedRmrrs(p(), none)).toEqual([]);
  });
  it("the statically assigned devices' RMRRs", () => {
    expect(requestedRmrrs(p(), { ...none, static: [0, 2, 3, 4] })).toEqual([1, 2]);
  });
  it('every RMRR when the layout mirrors the host', () => {
    expect(requestedRmrrs(p(), { ...none, mirrorHost: true })).toEqual([0, 1, 2]);
  });
  it('an explicit list, merged with the static devices\'', () => {
    expect(requestedRmrrs(p(), { ...none, static: [1], explicit: [2, 0] })).toEqual([0, 2]);
  });
});

describe('the 2014 domain builder', () => {
  it('lays RAM from GFN 0 up, over the RMRRs, and reserves nothing', () => {
    expect(planFlatLayout(p().layout, 4)).toEqual({ ram: [0, 1, 2, 3], reservation: null, warnings: [] });
  });
});

describe('the v2 domain builder', () => {
  it('with nothing requested: the same RAM as 2014 and an empty reservation', () => {
    expect(planReservingLayout(p(), none, 4)).toEqual({ ram: [0, 1, 2, 3], reservation: { rmrrs: [], gfns: [] }, warnings: [] });
  });

  it('keeps a requested RMRR free and lays the RAM around it', () => {
    const plan = planReservingLayout(p(), { ...none, static: [2] }, 4);
    expect(plan.reservation).toEqual({ rmrrs: [1], gfns: [3] });
    expect(plan.ram).toEqual([0, 1, 2, 4]);
    expect(plan.warnings).toEqual([]);
  });

  it('user-space policy "warn": an RMRR inside the guest BIOS cannot be kept free; warned, not reserved, still asked for', () => {
    const plan = planReservingLayout(p(), { ...none, static: [1] }, 4);
    expect(plan.reservation).toEqual({ rmrrs: [0], gfns: [] });
    expect(plan.ram).toContain(2);
    expect(plan.warnings).toEqual([expect.stringMatching(/^libxc: RMRR r0 at gfn 0x2 conflicts with the guest BIOS region; not reserved/)]);
  });

  it('mirror-host reserves every RMRR it can; RAM never enters the MMIO hole', () => {
    const plan = planReservingLayout(p(), { ...none, mirrorHost: true }, 10);
    expect(plan.reservation!.gfns).toEqual([3, 12, 13]);
    expect(plan.ram).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9, 10]);
    expect(plan.warnings).toHaveLength(1);
  });
});
