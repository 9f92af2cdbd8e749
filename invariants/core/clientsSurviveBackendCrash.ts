/**
 * clients-survive-backend-crash — once a domain is dying or dead (a driver-domain backend that
 * crashed or was destroyed), it holds nothing of its clients: no maptrack handle, and no pin on any
 * grant made to it, so every client can end access and have its frames back (Xen's
 * gnttab_release_mappings at domain_kill). Frames returned with no leaked reference are
 * refcounts-match-refs' part; this one is the grant side.
 * Check it alone: `npx shadowcheck fuzz --invariant clients-survive-backend-crash`
 */
import { isPinned } from '../../src/model/core/grantActive.ts';
import type { HolderWitness, StateInvariant } from '../types.ts';

/** A dead or dying grantee that still holds a handle, or a grant to it still pinned. */
export interface SurviveWitness extends HolderWitness<'grant', 'dead-grantee-holds-handle' | 'grant-pinned-for-dead-grantee'> {
  dom: number;
}

export const clientsSurviveBackendCrash: StateInvariant<SurviveWitness> = {
  kind: 'state',
  id: 'clients-survive-backend-crash',
  title: 'a dying or dead backend holds no grant mapping and no pin of its clients',
  category: 'security',
  rationale:
    "A crashed driver domain must not take its clients' memory with it: a pin left behind keeps end_access failing forever and the page out of its owner's hands.",
  source: 'xen/common/grant_table.c (gnttab_release_mappings); issue 11 item 4 (driver-domain backend)',
  check(d) {
    const s = d.state;
    const out: SurviveWitness[] = [];
    for (const dom of s.domains) {
      if (dom.state !== 'dying' && dom.state !== 'dead') continue;
      for (const m of dom.maptrack) {
        if (m !== null) out.push({ reason: 'dead-grantee-holds-handle', dom: dom.id, holder: { via: 'grant', granter: m.granter, ref: m.ref } });
      }
    }
    for (const granter of s.domains) {
      granter.grants.forEach((g, ref) => {
        if (g === null || !isPinned(g)) return;
        const st = s.domains[g.grantee]?.state;
        if (st === 'dying' || st === 'dead') out.push({ reason: 'grant-pinned-for-dead-grantee', dom: g.grantee, holder: { via: 'grant', granter: granter.id, ref } });
      });
    }
    return out;
  },
  describe: (w) =>
    w.reason === 'dead-grantee-holds-handle'
      ? `dom${w.dom} is ${'dying or dead'} yet still holds a handle on grant ref ${w.holder.ref} of dom${w.holder.granter}`
      : `grant ref ${w.holder.ref} of dom${w.holder.granter} is still pinned for dom${w.dom}, which is dying or dead`,
};
