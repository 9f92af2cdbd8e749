/**
 * gnttab_release_mappings (xen/common/grant_table.c): when a grantee dies — destroyed by the
 * toolstack, or a driver-domain backend that crashed — Xen walks its maptrack and undoes every
 * mapping it still holds, both halves, dropping the references, type references and pins, so each
 * granter's frames return to it and it may end access. The `releaseOnDeath` knob can make the walk
 * skip the device halves (a teardown that forgets a part).
 */
import { grantConfig } from '../grantRules.ts';
import type { OpContext } from '../op.ts';
import type { DomId, State } from '../state.ts';
import { releaseMapping } from './grants.ts';

/** Release every grant mapping `dom` holds, as its death does. */
export function releaseGrantMappings(state: State, dom: DomId, ctx?: Pick<OpContext, 'rules' | 'knobs' | 'note'>): void {
  const d = state.domains[dom];
  const halves = ctx !== undefined && grantConfig(ctx.knobs).releaseOnDeath === 'host-halves-only' ? 'host' : 'both';
  for (let handle = 0; handle < d.maptrack.length; handle++) {
    if (d.maptrack[handle] === null) continue;
    ctx?.note('grant-released-by-dying-grantee');
    releaseMapping(state, dom, handle, ctx, halves);
  }
}
