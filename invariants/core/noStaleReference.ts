/**
 * no-stale-reference — every live reference (p2m, IOMMU, grant map, foreign map, DMA table entry)
 * points at the allocation generation it was taken at. A reference whose frame was freed and handed
 * out again names someone else's memory: the seed's ballooning race (seed 000, Tim Deegan 2014-12-11
 * 16:46: look up, balloon out, reallocate, DMA).
 * Check it alone: `npx shadowcheck fuzz --invariant no-stale-reference`
 */
import { frameText } from '../../src/model/core/words.ts';
import { hopText } from '../../src/model/words.ts';
import type { Hop } from '../../src/model/core/path.ts';
import type { FrameFacts, StateInvariant, Witness } from '../types.ts';
import { frameFacts } from '../witness.ts';

/** A reference taken at generation `expected` of a frame now at generation `actual`. */
export interface StaleReferenceWitness extends Witness {
  reason: 'stale-generation';
  mfn: number;
  holder: Hop;
  expected: number;
  actual: number;
  frame: FrameFacts;
}

export const noStaleReference: StateInvariant<StaleReferenceWitness> = {
  kind: 'state',
  id: 'no-stale-reference',
  title: 'every live reference names the allocation generation it was taken at',
  category: 'security',
  rationale:
    'A reference taken at one allocation and used after the frame was reallocated reaches the next owner\'s data; only holding a reference keeps the frame from being reallocated.',
  source: 'seed 000: Tim Deegan 2014-12-11 16:46 (steps 1-5 of the race)',
  check(d) {
    const out: StaleReferenceWitness[] = [];
    for (const r of d.refs()) {
      const f = d.state.frames[r.mfn];
      if (f.gen === r.gen) continue;
      out.push({ reason: 'stale-generation', mfn: r.mfn, holder: r.holder, expected: r.gen, actual: f.gen, frame: frameFacts(f) });
    }
    return out;
  },
  describe: (w) =>
    `${hopText(w.holder)} was taken at gen ${w.expected} but ${frameText(w.mfn, w.frame)} has been reallocated since`,
};
