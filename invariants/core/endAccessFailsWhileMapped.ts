/**
 * end-access-fails-while-mapped (transition) — `endAccess` on a grant that is mapped returns an error and
 * changes nothing; otherwise the granter could reuse a page another domain still maps.
 * Check it alone: `npx shadowcheck fuzz --invariant end-access-fails-while-mapped`
 */
import { stateDifference } from '../../src/model/core/equal.ts';
import type { HolderWitness, TransitionInvariant } from '../types.ts';
import type { ArgsOf } from '../../src/model/core/op.ts';
import type { endAccess } from '../../src/model/core/ops/grants.ts';

/** An endAccess that succeeded on a mapped grant, or was refused yet changed the state. */
export interface EndAccessWitness extends HolderWitness<'grant', 'end-access-succeeded-while-mapped' | 'refused-end-access-changed-state'> {
  dom: number;
}

export const endAccessFailsWhileMapped: TransitionInvariant<EndAccessWitness, ArgsOf<typeof endAccess>> = {
  kind: 'transition',
  id: 'end-access-fails-while-mapped',
  title: 'endAccess on a mapped grant fails and changes nothing',
  category: 'security',
  rationale: 'Ending access to a mapped grant would let the granter reuse the page while the grantee still maps it.',
  source: 'seed 000 (grant tables as the model for map-for-DMA, Tim Deegan 2014-12-09 10:46)',
  ops: ['endAccess'],
  when(before, action) {
    const g = before.domains[action.granter]?.grants[action.ref];
    return g !== null && g !== undefined && g.maps > 0;
  },
  check(before, action, result, after) {
    const granter = action.granter;
    const ref = action.ref;
    const g = before.domains[granter]?.grants[ref];
    if (g === null || g === undefined || g.maps === 0) return [];
    if (result.ok) return [{ reason: 'end-access-succeeded-while-mapped', dom: granter, expected: 'EBUSY', actual: 'ok', holder: { via: 'grant', granter, ref } }];
    const changed = stateDifference(before, after.state);
    if (changed === undefined) return [];
    return [{ reason: 'refused-end-access-changed-state', dom: granter, expected: 'no change', actual: changed, holder: { via: 'grant', granter, ref } }];
  },
  describe: (w) =>
    w.reason === 'end-access-succeeded-while-mapped'
      ? `dom${w.dom} ended access to grant ref ${w.holder.ref} while it was mapped (expected EBUSY)`
      : `a refused endAccess of dom${w.dom} grant ref ${w.holder.ref} still changed ${w.actual}`,
};
