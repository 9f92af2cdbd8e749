/**
 * no-rmrr-map-without-device — a mapping of RMRR memory exists in domain D only as the identity map,
 * and only while some device of D uses that RMRR: deassignment and destruction clean it up.
 * Seed 003: RMRR identity maps are set up "when a device is assigned" for that device's sake; a map
 * left behind gives the domain firmware-reserved memory that another domain's device may now use.
 * Check it alone: `npx shadowcheck fuzz --invariant no-rmrr-map-without-device`
 */
import { hex } from '../../src/model/core/words.ts';
import type { Hop } from '../../src/model/core/path.ts';
import { domainUsesRmrr, isIdentityEntry, rmrrOfMfn } from '../../src/model/rmrr/rmrr.ts';
import type { HolderWitness, StateInvariant } from '../types.ts';

/** A p2m or IOMMU entry mapping an RMRR frame other than 1:1, or in a domain with no device using it. */
export interface RmrrMapWitness extends HolderWitness<'p2m' | 'iommu', 'rmrr-mapped-not-identity' | 'rmrr-map-without-device'> {
  dom: number;
  mfn: number;
  actual: { rmrr: number };
}

export const noRmrrMapWithoutDevice: StateInvariant<RmrrMapWitness> = {
  kind: 'state',
  id: 'no-rmrr-map-without-device',
  title: 'RMRR memory is mapped into a domain only as an identity map, while a device of that domain uses it',
  category: 'security',
  rationale:
    'An identity map that outlives the assignment leaves a guest with reach into firmware-reserved memory that the device, now elsewhere, still DMAs to.',
  source: 'seed 003: George Dunlap (identity map on assignment); Kevin Tian §3.2 (2)',
  check(d) {
    const p = d.state.platform;
    if (p === undefined) return [];
    const out: RmrrMapWitness[] = [];
    const judge = (dom: number, mfn: number, identity: boolean, holder: RmrrMapWitness['holder']) => {
      const r = rmrrOfMfn(p, mfn);
      if (!identity) out.push({ reason: 'rmrr-mapped-not-identity', dom, mfn, holder, actual: { rmrr: r } });
      else if (!domainUsesRmrr(p, dom, r)) out.push({ reason: 'rmrr-map-without-device', dom, mfn, holder, actual: { rmrr: r } });
    };
    for (const dom of d.state.domains) {
      if (dom.state !== 'alive' && dom.state !== 'dying') continue;
      dom.p2m.forEach((e, gfn) => {
        if (e !== null && d.state.frames[e.mfn].owner.kind === 'reserved') {
          judge(dom.id, e.mfn, isIdentityEntry(d.state, gfn, e), { via: 'p2m', dom: dom.id, gfn, type: e.type });
        }
      });
      for (const x of p.domains[dom.id].iommuOnly) judge(dom.id, x.mfn, x.mfn === x.bfn, { via: 'iommu', dom: dom.id, bfn: x.bfn });
    }
    return out;
  },
  describe(w) {
    const r = (w.actual as { rmrr: number }).rmrr;
    const where = w.holder.via === 'p2m' ? `p2m gfn ${hex(w.holder.gfn)}` : `IOMMU bfn ${hex(w.holder.bfn)}`;
    return w.reason === 'rmrr-mapped-not-identity'
      ? `dom${w.dom} maps RMRR r${r} frame mfn ${hex(w.mfn!)} at ${where}, which is not its identity`
      : `dom${w.dom} still maps RMRR r${r} (mfn ${hex(w.mfn!)}) at ${where}, but no device of dom${w.dom} uses it`;
  },
};
