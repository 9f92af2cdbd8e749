import { describe, expect, it } from 'vitest';
import { INVARIANTS } from '../../../../invariants/registry.ts';
import { findDesign } from '../../../../src/model/designs.ts';
import { rmrr2014 } from '../../../../src/model/rmrr/designs/rmrr2014.ts';
import { rmrrV2 } from '../../../../src/model/rmrr/designs/rmrrV2.ts';
import { expectationFor, knobDefaults } from '../../../../src/model/core/design.ts';
import { domainSlots } from '../../../../src/model/core/scope.ts';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import { dev, v2World, view, world, world2014 } from '../../../fixtures/rmrr.ts';

describe('the RMRR designs', () => {
  it('are registered, checked against the core and the RMRR invariants', () => {
    expect(findDesign('rmrr-2014')).toBe(rmrr2014);
    expect(findDesign('rmrr-v2')).toBe(rmrrV2);
    for (const d of [rmrr2014, rmrrV2]) {
      expect(d.invariants).toContain('no-foreign-reach');
      expect(d.invariants).toContain('assign-refused-exactly-on-policy');
      for (const id of d.invariants) expect(INVARIANTS.some((i) => i.id === id)).toBe(true);
    }
  });

  it.each([
    ['rmrr-2014', {}],
    ['rmrr-2014', { iommuPt: 'separate' }],
    ['rmrr-v2', {}],
    ['rmrr-v2', { rmrrConflict: 'warn', sharedRmrr: 'allow', deassignTo: 'hwdom', iommuPt: 'separate' }],
  ])('%s %j: the initial world breaks no invariant', (id, knobs) => {
    const d = findDesign(id)!;
    const s = world(d, knobs);
    for (const inv of INVARIANTS) if (inv.kind === 'state') expect(inv.check(view(s)), inv.id).toEqual([]);
  });

  it('the world: the hardware domain holds every device, guests are built by the design, the rest is spare', () => {
    const s = v2World();
    expect(s.platform!.devices.every((d) => d.owner === 0 && d.context === 0 && d.inflight.length === 0)).toBe(true);
    expect(s.domains.map((d) => d.state)).toEqual(['alive', 'alive', 'alive', 'none', 'none']);
    expect(s.domains.length).toBe(domainSlots(DEFAULT_SCOPE));
    expect(s.platform!.domains[2].reservation).toEqual({ rmrrs: [0, 1, 2], gfns: [3, 12, 13] });
    expect(s.platform!.domains[1].reservation).toEqual({ rmrrs: [], gfns: [] });
    expect(world2014().platform!.domains[1].reservation).toBeNull();
    expect(s.domains[0].kind).toBe('pvh');
  });

  it('the policy in the world follows the knobs (v2) or is the thread\'s default (2014)', () => {
    expect(v2World({ rmrrConflict: 'warn', sharedRmrr: 'allow' }).platform!.policy).toEqual({ rmrrConflict: 'warn', sharedRmrr: 'allow', requireReservation: true });
    expect(world2014().platform!.policy).toEqual({ rmrrConflict: 'fail', sharedRmrr: 'deny', requireReservation: false });
    expect(v2World({ deassignTo: 'hwdom', iommuPt: 'separate' }).platform).toMatchObject({ deassignTo: 'hwdom', iommuPt: 'separate' });
    expect(dev(world2014(), 'igd0').context).toBe(0);
  });

  it('rmrr-v2 expects everything to hold with default knobs', () => {
    expect(rmrrV2.expect(knobDefaults(rmrrV2))).toEqual({});
  });

  it.each([
    [{ rmrrConflict: 'warn' }, ['rmrr-identity-while-assigned']],
    [{ sharedRmrr: 'allow' }, ['no-shared-rmrr-across-vms']],
    [{ deassignTo: 'hwdom' }, ['device-dma-only-own-domain', 'no-foreign-reach']],
    [{ iommuPt: 'separate' }, []],
  ])('rmrr-v2 %j: expected broken %j, because of the override', (knobs, broken) => {
    const all = { ...knobDefaults(rmrrV2), ...knobs };
    const e = rmrrV2.expect(all);
    expect(Object.keys(e).sort()).toEqual([...broken].sort());
    for (const id of broken) {
      expect(expectationFor(rmrrV2, all, id).verdict).toBe('violated');
      expect(e[id].why).toContain(`${Object.keys(knobs)[0]}=${Object.values(knobs)[0]} (the override's doing)`);
    }
  });

  it('rmrr-v2 runs each of those settings as a variant', () => {
    expect(rmrrV2.variants).toEqual([{ rmrrConflict: 'warn' }, { sharedRmrr: 'allow' }, { deassignTo: 'hwdom' }, { iommuPt: 'separate' }, { unmapOnDeassign: false }]);
    expect(rmrr2014.variants).toEqual([{ iommuPt: 'separate' }]);
  });

  it('rmrr-2014 expects the three issues of the thread and the in-flight DMA to break, under either IOMMU set-up', () => {
    for (const iommuPt of ['shared-ept', 'separate']) {
      const e = rmrr2014.expect({ iommuPt });
      for (const id of ['rmrr-identity-while-assigned', 'assign-refused-exactly-on-policy', 'no-shared-rmrr-across-vms', 'device-dma-only-own-domain']) {
        expect(e[id].verdict).toBe('violated');
      }
    }
    expect(rmrr2014.expect({ iommuPt: 'separate' })['rmrr-identity-while-assigned'].why).toMatch(/separate IOMMU only/);
  });
});
