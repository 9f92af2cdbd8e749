/**
 * no-foreign-reach — every frame a principal reaches is owned by that principal's domain, or by a domain
 * it is a target-privileged backend for, or is granted to it by its owner with a live grant, or is
 * provided to it by a live virtio-GPU Map chain from a backend that may provide the frame (seed 004).
 * An MMIO frame, which no domain owns, may be reached by a domain whose iomem_caps permit it.
 * Tim Deegan's level 1 (seed 000, 2014-12-11 21:29): XenGT's clients are the only VMs it may touch.
 * Check it alone: `npx shadowcheck fuzz --invariant no-foreign-reach`
 */
import { pathText } from '../../src/model/core/words.ts';
import type { ReachEntry } from '../../src/model/core/path.ts';
import { rmrrReachAllowed } from '../../src/model/rmrr/rmrr.ts';
import type { State } from '../../src/model/core/state.ts';
import { iomemPermits, providedByMap } from '../../src/model/virtio/maps.ts';
import type { StateInvariant, Witness } from '../types.ts';
import { reachWitness } from '../witness.ts';

/** Whether the reach entry's path goes through a live grant from `owner` to the principal's domain. */
function grantedBy(state: State, e: ReachEntry, owner: number): boolean {
  for (const hop of e.path) {
    if (hop.via !== 'grant' || hop.granter !== owner) continue;
    const g = state.domains[owner].grants[hop.ref as number];
    if (g !== null && g !== undefined && g.grantee === e.principal.dom) return true;
  }
  return false;
}

/**
 * Whether principal `e` may reach its frame under the level-1 rule. Reserved (RMRR) frames belong to
 * no domain: reaching one is legitimate exactly when it is the identity map VT-d requires — the
 * principal's domain holds a device using that RMRR, or the principal is such a device (seed 003).
 */
export function mayReach(state: State, e: ReachEntry): boolean {
  const f = state.frames[e.mfn];
  const owner = f.owner;
  if (owner.kind === 'reserved') return rmrrReachAllowed(state, e);
  if (owner.kind === 'dom') {
    if (owner.dom === e.principal.dom) return true;
    if (state.domains[e.principal.dom].targets.includes(owner.dom)) return true;
    if (grantedBy(state, e, owner.dom)) return true;
  }
  if (state.virtio === undefined) return false;
  if (f.kind === 'mmio' && iomemPermits(state, e.principal.dom, e.mfn)) return true;
  return providedByMap(state, e.path, e.mfn);
}

export const noForeignReach: StateInvariant = {
  kind: 'state',
  id: 'no-foreign-reach',
  title: 'no principal reaches a frame that is not its own, its target\'s, or granted to it',
  category: 'security',
  level: 1,
  rationale:
    'A backend may touch its clients (its target list) and what guests grant it; anything else — a non-client VM, a free frame about to be reused — is another tenant\'s memory.',
  source: 'seed 000: Tim Deegan 2014-12-11 21:29 (level 1)',
  check(d) {
    const out: Witness[] = [];
    for (const e of d.reach()) {
      if (mayReach(d.state, e)) continue;
      out.push(reachWitness('reaches-foreign-frame', e, d.state.frames[e.mfn]));
    }
    return out;
  },
  describe(w) {
    const owner = w.frame!.owner;
    const why =
      owner.kind === 'dom'
        ? `dom${owner.dom} is not dom${w.principal!.dom}'s target and granted it nothing`
        : owner.kind === 'free'
          ? 'the frame is free: the heap may hand it to anyone next'
          : owner.kind === 'reserved'
            ? `the frame is an RMRR no device of dom${w.principal!.dom} uses`
          : owner.kind === 'io'
            ? `the MMIO frame is not in dom${w.principal!.dom}'s iomem_caps and no live Map provides it`
            : 'the frame is Xen\'s';
    return `${pathText(w.principal!, w.path!, w.mfn!, w.frame)}: ${why}`;
  },
};
