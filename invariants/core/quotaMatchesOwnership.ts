/**
 * quota-matches-ownership — each domain's `tot_pages` equals the number of frames it owns and never
 * exceeds `max_pages`. Hyperkernel's "nr_pages == number of pages owned".
 * Check it alone: `npx shadowcheck fuzz --invariant quota-matches-ownership`
 */
import type { StateInvariant, Witness } from '../types.ts';

/** A domain whose tot_pages disagrees with the frames it owns, or exceeds max_pages. */
export interface QuotaWitness extends Witness {
  reason: 'tot-pages-mismatch' | 'over-max-pages';
  dom: number;
  expected: number;
  actual: number;
}

export const quotaMatchesOwnership: StateInvariant<QuotaWitness> = {
  kind: 'state',
  id: 'quota-matches-ownership',
  title: "each domain's tot_pages equals the frames it owns and stays within max_pages",
  category: 'accounting',
  rationale:
    'Ballooning, stealing and returning pages move frames between domains; a quota that drifts from ownership lets a guest exceed its allocation or strands pages.',
  source: 'seed 000 (XENMEM_populate_physmap / decrease_reservation); seed 004 (Steal/Return move quota)',
  check(d) {
    const owned = new Array<number>(d.state.domains.length).fill(0);
    for (const f of d.state.frames) if (f.owner.kind === 'dom') owned[f.owner.dom] += 1;
    const out: QuotaWitness[] = [];
    for (const dom of d.state.domains) {
      if (dom.totPages !== owned[dom.id]) {
        out.push({ reason: 'tot-pages-mismatch', dom: dom.id, expected: owned[dom.id], actual: dom.totPages });
      } else if (dom.totPages > dom.maxPages) {
        out.push({ reason: 'over-max-pages', dom: dom.id, expected: dom.maxPages, actual: dom.totPages });
      }
    }
    return out;
  },
  describe: (w) =>
    w.reason === 'tot-pages-mismatch'
      ? `dom${w.dom} has tot_pages ${w.actual} but owns ${w.expected} frames`
      : `dom${w.dom} owns ${w.actual} frames, over its max_pages ${w.expected}`,
};
