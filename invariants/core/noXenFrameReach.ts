/**
 * no-xen-frame-reach — no principal reaches a frame owned by Xen.
 * Tim Deegan's level 0 (seed 000, 2014-12-11 21:29): protect Xen itself from XenGT; the IOMMU must keep
 * the GPU out of Xen's data structures.
 * Check it alone: `npx shadowcheck fuzz --invariant no-xen-frame-reach`
 */
import { pathText } from '../../src/model/words.ts';
import type { ReachWitness, StateInvariant } from '../types.ts';
import { reachWitness } from '../witness.ts';

/** A principal reaching one of Xen's own frames. */
export type XenFrameReachWitness = ReachWitness<'reaches-xen-frame'>;

export const noXenFrameReach: StateInvariant<XenFrameReachWitness> = {
  kind: 'state',
  id: 'no-xen-frame-reach',
  title: 'no principal reaches a frame owned by Xen',
  category: 'security',
  level: 0,
  rationale: 'A guest, backend or device that can write Xen\'s own memory can take over the host.',
  source: 'seed 000: Tim Deegan 2014-12-11 21:29 (level 0)',
  check(d) {
    const out: XenFrameReachWitness[] = [];
    for (const e of d.reach()) {
      const f = d.state.frames[e.mfn];
      if (f.owner.kind !== 'xen') continue;
      out.push(reachWitness('reaches-xen-frame', e, f));
    }
    return out;
  },
  describe: (w) => `${pathText(w.principal, w.path, w.mfn, w.frame)}: Xen's own frame is reachable`,
};
