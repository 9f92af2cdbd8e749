/**
 * rmrr-space-reserved — where a domain was built with a reservation, nothing but the identity map ever
 * occupies a reserved GFN: no guest RAM, and no grant or foreign map either.
 * Seed 003, George Dunlap: "we need to make sure at guest creation time that we reserve any RMRR
 * ranges for devices we may wish to assign, and make sure that the RMRR in gpfn space is empty";
 * Guideline-3's interface "to force reserving one or more gfn ranges".
 * Check it alone: `npx shadowcheck fuzz --invariant rmrr-space-reserved`
 */
import { hex } from '../../src/model/core/words.ts';
import { isIdentityEntry } from '../../src/model/rmrr/rmrr.ts';
import type { HolderWitness, StateInvariant } from '../types.ts';

/** A GFN reserved for an RMRR that holds RAM or another mapping. */
export interface ReservedGfnWitness extends HolderWitness<'p2m', 'ram-at-reserved-gfn' | 'mapping-at-reserved-gfn'> {
  dom: number;
  mfn: number;
}

export const rmrrSpaceReserved: StateInvariant<ReservedGfnWitness> = {
  kind: 'state',
  id: 'rmrr-space-reserved',
  title: 'a GFN reserved for an RMRR holds nothing but its identity map',
  category: 'functional',
  rationale:
    'Xen cannot reclaim a GFN from a guest once it is used; a reserved GFN that fills up makes the later assignment of the device it was reserved for fail.',
  source: 'seed 003: George Dunlap (reserve at creation, keep the RMRR GFNs empty); Guideline-3',
  check(d) {
    const p = d.state.platform;
    if (p === undefined) return [];
    const out: ReservedGfnWitness[] = [];
    p.domains.forEach((dp, dom) => {
      const st = d.state.domains[dom]?.state;
      if (dp.reservation === null || (st !== 'alive' && st !== 'dying')) return;
      for (const gfn of dp.reservation.gfns) {
        const e = d.state.domains[dom].p2m[gfn];
        if (e === null || e === undefined || isIdentityEntry(d.state, gfn, e)) continue;
        const ram = e.type === 'ram_rw' || e.type === 'ram_ro';
        out.push({ reason: ram ? 'ram-at-reserved-gfn' : 'mapping-at-reserved-gfn', dom, mfn: e.mfn, holder: { via: 'p2m', dom, gfn, type: e.type }, actual: e.type });
      }
    });
    return out;
  },
  describe: (w) => `dom${w.dom} reserved gfn ${hex(w.holder.gfn)} for an RMRR, but it holds ${w.actual} (mfn ${hex(w.mfn)})`,
};
