/**
 * revoke-leaves-no-access (transition) — after a Revoke, no principal but the backend reaches the revoked
 * frame by any path: p2m (and the shared-EPT IOMMU), grant map, foreign map, onward Map, DMA or hypercall
 * in flight. Access the backend itself handed out (its own grant, a foreign map of its own GFN) is the
 * backend's business, not the frontend's, and is not counted. "Once access is revoked, no operation on or
 * in the frontend domain can access or modify the pages, and the backend can safely reuse the backing
 * memory" (seed 004, Demi Marie Obenour 2025-02-02).
 * Check it alone: `npx shadowcheck fuzz --design virtio-gpu-primitives --invariant revoke-leaves-no-access`
 */
import { frameText } from '../../src/model/core/words.ts';
import { pathText } from '../../src/model/words.ts';
import type { Hop } from '../../src/model/core/path.ts';
import type { ReachWitness, TransitionInvariant } from '../types.ts';
import { reachWitness } from '../witness.ts';
import type { ArgsOf } from '../../src/model/core/op.ts';
import type { revoke } from '../../src/model/virtio/ops/map.ts';

/** Whether a path starts from access the backend granted itself: its own grant or a foreign map of it. */
function sharedByBackend(path: readonly Hop[], backend: number): boolean {
  return path.some((h) => (h.via === 'grant' && h.granter === backend) || (h.via === 'foreign' && h.dom === backend));
}

/** A principal still reaching a frame after its provider (`dom`) revoked the Map. */
export interface RevokedReachWitness extends ReachWitness<'reaches-revoked-frame'> {
  dom: number;
}

export const revokeLeavesNoAccess: TransitionInvariant<RevokedReachWitness, ArgsOf<typeof revoke>> = {
  kind: 'transition',
  id: 'revoke-leaves-no-access',
  title: 'after Revoke, nobody but the backend reaches the revoked frame, by any path',
  category: 'security',
  rationale:
    'The backend reuses the memory as soon as Revoke returns; any path left — an onward Map, a grant or foreign map the frontend made, a DMA or hypercall in flight — reaches memory that now holds something else.',
  source: 'seed 004: Demi Marie Obenour 2025-02-02 (Revoke; transitive Revoke for onward Maps)',
  ops: ['revoke'],
  check(before, action, result, after) {
    if (!result.ok) return [];
    const m = before.virtio?.maps[action.handle];
    if (m === null || m === undefined) return [];
    const out: RevokedReachWitness[] = [];
    for (const e of after.reach()) {
      if (e.mfn !== m.mfn || e.principal.dom === m.provider || sharedByBackend(e.path, m.provider)) continue;
      out.push(reachWitness('reaches-revoked-frame', e, after.state.frames[e.mfn], { dom: m.provider }));
    }
    return out;
  },
  describe: (w) =>
    `${pathText(w.principal, w.path, w.mfn, w.frame)}: still reaches ${frameText(w.mfn, w.frame)} after dom${w.dom} revoked it`,
};
