/**
 * grant-pins-match-mappings — each grant's pin counters (Xen's `act->pin`, GNTPIN_hstw/hstr/devw/devr)
 * equal the mapping halves its grantee holds of it, kind by kind, and a pinned grant's frame
 * (`act->mfn`) is the one every such half maps. Pins are what Xen reads to decide whether a grant is
 * in use (GTF_reading/GTF_writing, end_access, the status a granter sees): a counter above the
 * mappings pins the granter's page forever; one below lets it go while a half still maps it.
 * Check it alone: `npx shadowcheck fuzz --invariant grant-pins-match-mappings`
 */
import { noPins, PIN_KINDS } from '../../src/model/core/grantActive.ts';
import type { GrantPins } from '../../src/model/core/state.ts';
import type { HolderWitness, StateInvariant } from '../types.ts';
import { grantKey, liveHalves } from './grantHalves.ts';

/** A grant whose pins disagree with its mappings, or whose halves map another frame than `act->mfn`. */
export interface GrantPinsWitness extends HolderWitness<'grant', 'pins-differ-from-mappings' | 'half-maps-another-frame'> {
  expected: string;
  actual: string;
}

function pinText(p: GrantPins): string {
  return PIN_KINDS.map((k) => `${k}=${p[k]}`).join(' ');
}

export const grantPinsMatchMappings: StateInvariant<GrantPinsWitness> = {
  kind: 'state',
  id: 'grant-pins-match-mappings',
  title: "each grant's pin counts (host/device × rw/ro) equal its grantee's mapping halves, and they all map act->mfn",
  category: 'accounting',
  rationale:
    'Xen decides from the pins whether a grant is in use; pins above the mappings keep the granter from ever ending access, pins below let the page go while it is still mapped.',
  source: 'xen/common/grant_table.c (map_grant_ref, unmap_common_complete, gnttab_release_mappings); issue 11 item 2',
  check(d) {
    const s = d.state;
    const counted = new Map<string, GrantPins>();
    const halves = liveHalves(s);
    for (const h of halves) {
      const k = grantKey(h.granter, h.ref);
      const p = counted.get(k) ?? noPins();
      p[h.kind] += 1;
      counted.set(k, p);
    }
    const out: GrantPinsWitness[] = [];
    for (const dom of s.domains) {
      for (let ref = 0; ref < dom.grants.length; ref++) {
        const g = dom.grants[ref];
        const want = counted.get(grantKey(dom.id, ref)) ?? noPins();
        const have = g?.pin ?? noPins();
        if (PIN_KINDS.some((k) => want[k] !== have[k])) {
          out.push({ reason: 'pins-differ-from-mappings', holder: { via: 'grant', granter: dom.id, ref }, expected: pinText(want), actual: pinText(have) });
        }
      }
    }
    for (const h of halves) {
      const g = s.domains[h.granter]?.grants[h.ref];
      if (g === null || g === undefined || h.mfn === -1 || h.mfn === g.mfn) continue;
      out.push({ reason: 'half-maps-another-frame', holder: { via: 'grant', granter: h.granter, ref: h.ref }, mfn: h.mfn, expected: `mfn ${g.mfn}`, actual: `dom${h.grantee} handle ${h.handle} ${h.half} half maps mfn ${h.mfn}` });
    }
    return out;
  },
  describe: (w) =>
    w.reason === 'pins-differ-from-mappings'
      ? `grant ref ${w.holder.ref} of dom${w.holder.granter} has pins ${w.actual} but its mappings make ${w.expected}`
      : `grant ref ${w.holder.ref} of dom${w.holder.granter} is pinned at ${w.expected}, yet ${w.actual}`,
};
