/**
 * level-3-only-what-was-given — the backend (its CPU, and the GPU through the tables it programs)
 * reaches a client's frame only if the client meant it for the backend: granted it, gave it as a DMA
 * buffer, or built a GPU page table in it (guest intent, src/model/core/intent.ts).
 * Tim Deegan's level 3 (seed 000, 2014-12-11 21:29): "XenGT should not be able to access parts of its
 * client VMs that they have not given it permission to [...] device driver domains _do_ have this
 * property: this is what the grant tables are used for". Judged on intent, not on the protocol: a page
 * reused for private data while its grant could not be ended is private, whatever the grant says.
 * Check it alone: `npx shadowcheck fuzz --invariant level-3-only-what-was-given --design xengt-grant --adversary client=compromised`
 */
import { isClient } from '../../src/model/core/adversary.ts';
import { givenTo } from '../../src/model/core/intent.ts';
import type { ReachEntry } from '../../src/model/core/path.ts';
import type { Frame, State } from '../../src/model/core/state.ts';
import type { StateInvariant } from '../types.ts';
import type { LevelWitness } from './levelWitness.ts';
import { actsForBackend, levelReach, levelText } from './levelWitness.ts';

/** The backend reaching a client page the client did not give it. */
export type Level3Witness = LevelWitness<'level-3-ungiven-page-reached'>;

function notGiven(state: State, e: ReachEntry, f: Frame): boolean {
  if (!actsForBackend(state, e) || f.owner.kind !== 'dom' || !isClient(state, f.owner.dom)) return false;
  return !givenTo(state, e.mfn, state.gpu.backend);
}

export const level3OnlyWhatWasGiven: StateInvariant<Level3Witness> = {
  kind: 'state',
  id: 'level-3-only-what-was-given',
  title: 'level 3: the backend and its GPU reach only client pages the client gave them',
  category: 'security',
  level: 3,
  rationale: "XenGT should not read a client's crypto keys unless the client put them on the framebuffer: what a NIC driver domain's grants give.",
  source: 'seed 000: Tim Deegan 2014-12-11 21:29 (LEVEL 3, options a–c); Kevin Tian 2014-12-12 06:29',
  check: (d) => levelReach(d, 'level-3-ungiven-page-reached', notGiven),
  describe(w) {
    const o = w.frame.owner;
    return levelText(w, `client dom${o.kind === 'dom' ? o.dom : '?'} never gave this page to the backend`);
  },
};
