/**
 * revoke-always-succeeds (transition) — a Revoke of a live Map, issued by the backend that made it,
 * returns success from every reachable state, and the Map is gone when it returns (prompt: nothing is
 * left for later). The backend calls Revoke from an MMU notifier, which may not block or fail; if Revoke
 * fails, "the backend will panic" (seed 004, Demi Marie Obenour 2025-02-02 and 2025-02-06).
 * Check it alone: `npx shadowcheck fuzz --design virtio-gpu-primitives --invariant revoke-always-succeeds`
 */
import { isAlive } from '../../src/model/core/lookup.ts';
import type { HolderWitness, TransitionInvariant } from '../types.ts';
import type { ArgsOf } from '../../src/model/core/op.ts';
import type { revoke } from '../../src/model/virtio/ops/map.ts';

/** A Revoke of a live direct Map that failed, or succeeded and left the Map live. */
export interface RevokeWitness extends HolderWitness<'virtioMap', 'revoke-failed' | 'revoke-left-map-live'> {
  dom: number;
  mfn: number;
}

export const revokeAlwaysSucceeds: TransitionInvariant<RevokeWitness, ArgsOf<typeof revoke>> = {
  kind: 'transition',
  id: 'revoke-always-succeeds',
  title: 'Revoke of a live Map succeeds, at once, from every reachable state',
  category: 'security',
  rationale:
    'Revoke runs in an MMU notifier before the backend frees the memory: if it failed or were deferred, something would still reach memory about to be reused. Security, as seed 004 says: a Revoke that can fail lets a frontend pin backend memory forever.',
  source: 'seed 004: Demi Marie Obenour 2025-02-02 ("revocation is not allowed to fail") and 2025-02-06 ("always succeeds promptly")',
  ops: ['revoke'],
  check(before, action, result, after) {
    const backend = action.backend;
    const handle = action.handle;
    const m = before.virtio?.maps[handle];
    if (m === null || m === undefined || m.provider !== backend || m.parent >= 0 || !isAlive(before, backend)) return [];
    const holder = { via: 'virtioMap', handle } as const;
    if (!result.ok) return [{ reason: 'revoke-failed', dom: backend, mfn: m.mfn, expected: 'ok', actual: result.err, holder }];
    // Revoke makes no Map, so a handle still in use after it is the same Map, not yet revoked.
    if ((after.state.virtio?.maps[handle] ?? null) !== null) {
      return [{ reason: 'revoke-left-map-live', dom: backend, mfn: m.mfn, expected: 'no Map', actual: 'Map still live', holder }];
    }
    return [];
  },
  describe: (w) =>
    w.reason === 'revoke-failed'
      ? `dom${w.dom}'s Revoke of its live Map handle ${w.holder.handle} failed with ${String(w.actual)}; Revoke must never fail`
      : `dom${w.dom}'s Revoke of Map handle ${w.holder.handle} returned success but the Map is still live`,
};
