/**
 * level-0-xen-protected — no principal reaches one of Xen's own frames, whoever is compromised.
 * Tim Deegan's level 0 (seed 000, 2014-12-11 21:29): "a compromised XenGT should not be able to take
 * over the hypervisor" — "with IOMMU tables that restrict the GPU from writing to Xen's datastructures".
 * no-xen-frame-reach says the same of a correct world; this one names the principal and its role.
 * Check it alone: `npx shadowcheck fuzz --invariant level-0-xen-protected --adversary backend=compromised`
 */
import type { StateInvariant } from '../types.ts';
import type { LevelWitness } from './levelWitness.ts';
import { levelReach, levelText } from './levelWitness.ts';

/** A principal reaching one of Xen's frames. */
export type Level0Witness = LevelWitness<'level-0-xen-frame-reached'>;

export const level0XenProtected: StateInvariant<Level0Witness> = {
  kind: 'state',
  id: 'level-0-xen-protected',
  title: 'level 0: nobody — the backend, its GPU, any guest — reaches a frame Xen owns',
  category: 'security',
  level: 0,
  rationale: 'A compromised XenGT that can write Xen\'s memory takes over the host; Xen, not XenGT, must keep the GPU out.',
  source: 'seed 000: Tim Deegan 2014-12-11 21:29 (LEVEL 0); Kevin Tian 2014-12-12 06:29',
  check: (d) => levelReach(d, 'level-0-xen-frame-reached', (_s, _e, f) => f.owner.kind === 'xen'),
  describe: (w) => levelText(w, "Xen's own frame is reachable"),
};
