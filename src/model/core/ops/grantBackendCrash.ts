/**
 * A driver-domain backend crashes (issue 11 item 4). The backend need not be dom0: a driver domain
 * maps its clients' grants (and may DMA into them) and can crash — domain_crash, after which the
 * toolstack destroys it and Xen's domain_kill runs gnttab_release_mappings and relinquishes its
 * memory. Its clients must survive: their grants unpinned so end_access succeeds, their frames back
 * with no leaked reference (invariants clients-survive-backend-crash, grant-pins-match-mappings,
 * refcounts-match-refs).
 */
import { isPinned } from '../grantActive.ts';
import { isAlive } from '../lookup.ts';
import { defineOp, fail, OK } from '../op.ts';
import type { State } from '../state.ts';
import type { Teardown } from '../teardown.ts';
import { NO_TEARDOWN } from '../teardown.ts';
import { CORE_DESTROY_STEPS } from './domains.ts';

/** Domains that hold a grant mapping of someone else's: the backends that can crash with clients attached. */
function backends(state: State): number[] {
  return state.domains.filter((d) => d.id !== 0 && d.state === 'alive' && d.maptrack.some((m) => m !== null && m.granter !== d.id)).map((d) => d.id);
}

/** Grants to `dom` that are pinned now, as granter:ref keys. */
function pinnedFor(state: State, dom: number): string[] {
  const out: string[] = [];
  for (const d of state.domains) d.grants.forEach((g, ref) => g !== null && g.grantee === dom && isPinned(g) && out.push(`${d.id}:${ref}`));
  return out;
}

/** The crash of a driver-domain backend in a design: the design's destroy steps, then the core's. */
export function makeCrashBackend(t: Teardown) {
  const steps = [...t.destroyDomain, ...CORE_DESTROY_STEPS];
  return defineOp({
    name: 'crashBackend',
    actor: 'hypervisor',
    weight: 1,
    doc: 'a driver-domain backend holding grant mappings crashes (domain_crash); Xen kills it, releasing its grant mappings (gnttab_release_mappings), foreign maps and IOMMU entries',
    gen: { dom: { kind: 'dom' } },
    resolve(state, raw) {
      const all = backends(state);
      if (all.length === 0) return null;
      return { dom: all.includes(raw.dom) ? raw.dom : all[0] };
    },
    enabled: () => true,
    apply(state, { dom }, ctx) {
      // dom0 is the control domain: its crash is the host's, not a backend's the clients could survive.
      if (dom === 0) return fail('EPERM');
      if (!isAlive(state, dom)) return fail('ESRCH');
      const pinned = pinnedFor(state, dom);
      ctx.note('driver-domain-backend-crashed');
      for (const step of steps) step.run(state, dom, ctx);
      const still = new Set(pinnedFor(state, dom));
      if (pinned.some((k) => !still.has(k))) ctx.note('client-grant-unpinned-by-backend-crash');
      return OK;
    },
  });
}

/** A driver-domain backend's crash with no slice taking part. */
export const crashBackend = makeCrashBackend(NO_TEARDOWN);
