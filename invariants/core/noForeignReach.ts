/**
 * no-foreign-reach — every frame a principal reaches is owned by that principal's domain, or by a domain
 * it is a target-privileged backend for, or is granted to it by its owner with a live grant, or is
 * provided to it by a live virtio-GPU Map chain from a backend that may provide the frame (seed 004).
 * An MMIO frame, which no domain owns, may be reached by a domain whose iomem_caps permit it.
 * Tim Deegan's level 1 (seed 000, 2014-12-11 21:29): XenGT's clients are the only VMs it may touch.
 * Check it alone: `npx shadowcheck fuzz --invariant no-foreign-reach`
 */
import { pathText } from '../../src/model/words.ts';
import type { ReachEntry } from '../../src/model/core/path.ts';
import type { State } from '../../src/model/core/state.ts';
import { REACH_EXEMPTIONS } from '../reachExemptions.ts';
import type { ReachWitness, StateInvariant } from '../types.ts';
import { reachWitness } from '../witness.ts';

/**
 * Whether principal `e` may reach its frame under the level-1 rule: one of the exemptions in
 * reachExemptions.ts (own frame, target, grant, RMRR identity map, iomem_caps, virtio-GPU Map) allows it.
 */
export function mayReach(state: State, e: ReachEntry): boolean {
  const f = state.frames[e.mfn];
  for (const x of REACH_EXEMPTIONS) if (x.allows(state, e, f)) return true;
  return false;
}

/** A principal reaching a frame no exemption allows it. */
export type ForeignReachWitness = ReachWitness<'reaches-foreign-frame'>;

export const noForeignReach: StateInvariant<ForeignReachWitness> = {
  kind: 'state',
  id: 'no-foreign-reach',
  title: 'no principal reaches a frame that is not its own, its target\'s, or granted to it',
  category: 'security',
  level: 1,
  rationale:
    'A backend may touch its clients (its target list) and what guests grant it; anything else — a non-client VM, a free frame about to be reused — is another tenant\'s memory.',
  source: 'seed 000: Tim Deegan 2014-12-11 21:29 (level 1)',
  check(d) {
    const out: ForeignReachWitness[] = [];
    for (const e of d.reach()) {
      if (mayReach(d.state, e)) continue;
      out.push(reachWitness('reaches-foreign-frame', e, d.state.frames[e.mfn]));
    }
    return out;
  },
  describe(w) {
    const owner = w.frame.owner;
    const why =
      owner.kind === 'dom'
        ? `dom${owner.dom} is not dom${w.principal.dom}'s target and granted it nothing`
        : owner.kind === 'free'
          ? 'the frame is free: the heap may hand it to anyone next'
          : owner.kind === 'reserved'
            ? `the frame is an RMRR no device of dom${w.principal.dom} uses`
          : owner.kind === 'io'
            ? `the MMIO frame is not in dom${w.principal.dom}'s iomem_caps and no live Map provides it`
            : 'the frame is Xen\'s';
    return `${pathText(w.principal, w.path, w.mfn, w.frame)}: ${why}`;
  },
};
