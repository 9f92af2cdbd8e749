/**
 * relinquished-domain-holds-nothing — once a destroyed domain's teardown has finished (it is dying or
 * dead and no continuation of its destroyDomain is pending), it holds no p2m entry, no IOMMU entry
 * and no grant mapping. Xen relinquishes in preemptible phases; what makes the finished teardown
 * complete is that nothing can be added to a domain behind the relinquish cursor — `assign_pages`
 * refuses a dying domain ("Cannot assign page to domain%d -- dying"), and so do the grant and memory
 * ops. A mapping that lands anyway is never released: the frame it names stays pinned for ever.
 * Check it alone: `npx shadowcheck fuzz --design xen-preemptible --invariant relinquished-domain-holds-nothing`
 */
import { isPending } from '../../src/model/core/phase.ts';
import type { StateInvariant, Witness } from '../types.ts';

/** A torn-down domain that still holds an entry. */
export interface RelinquishWitness extends Witness {
  reason: 'entry-after-relinquish';
  dom: number;
  actual: { table: 'p2m' | 'iommu' | 'maptrack'; index: number; state: 'dying' | 'dead' };
}

export const relinquishedHoldsNothing: StateInvariant<RelinquishWitness> = {
  kind: 'state',
  id: 'relinquished-domain-holds-nothing',
  title: 'a domain whose teardown has finished holds no p2m, IOMMU or grant mapping',
  category: 'security',
  rationale:
    "A preempted teardown lets other vCPUs run between extents. If a map can land on the half-destroyed domain behind the relinquish cursor, nothing ever removes it: the frame it names (another domain's granted page, a fresh heap page) is pinned for ever and its owner can never reclaim it — a leak a guest can repeat until the host runs out (Xen counts such leaks as security issues).",
  source: "xen-project/xen: xen/common/domain.c domain_kill (DOMDYING_dying before domain_relinquish_resources, -ERESTART); xen/common/page_alloc.c assign_pages ('Cannot assign page to domain%d -- dying'); issue 11 item 3",
  check(d) {
    const s = d.state;
    const out: RelinquishWitness[] = [];
    for (const dom of s.domains) {
      if (dom.state !== 'dying' && dom.state !== 'dead') continue;
      if (isPending(s, 'destroyDomain', (a) => a.dom === dom.id)) continue;
      const tables = [['p2m', dom.p2m], ['iommu', dom.iommu], ['maptrack', dom.maptrack]] as const;
      for (const [table, entries] of tables) {
        const index = entries.findIndex((e) => e !== null);
        if (index >= 0) out.push({ reason: 'entry-after-relinquish', dom: dom.id, actual: { table, index, state: dom.state } });
      }
    }
    return out;
  },
  describe: (w) => `dom${w.dom} is ${w.actual.state} and its teardown has finished, yet its ${w.actual.table} still holds entry ${w.actual.index}`,
};
