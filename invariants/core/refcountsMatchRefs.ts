/**
 * refcounts-match-refs — each frame's stored refcount equals the number of counted references to it; a
 * free frame has none; a frame a domain owns is referenced by someone (else it has leaked).
 * Hyperkernel/Komodo style: refcount == |refs|. MMIO frames (no page bookkeeping) and Xen's own frames
 * are outside this discipline.
 * Check it alone: `npx shadowcheck fuzz --invariant refcounts-match-refs`
 */
import { hex, ownerText } from '../../src/model/core/words.ts';
import type { FrameFacts, StateInvariant, Witness } from '../types.ts';

let scratch: number[] = [];

/** A zeroed counter array, reused across steps: this check runs after every step of every run. */
function countedScratch(n: number): number[] {
  if (scratch.length < n) scratch = new Array(n).fill(0);
  else scratch.fill(0, 0, n);
  return scratch;
}

/** A frame whose stored refcount disagrees with its counted references. */
export interface RefcountWitness extends Witness {
  reason: 'refcount-mismatch' | 'owned-frame-unreferenced';
  mfn: number;
  frame: FrameFacts;
}

export const refcountsMatchRefs: StateInvariant<RefcountWitness> = {
  kind: 'state',
  id: 'refcounts-match-refs',
  title: 'stored refcounts equal the counted references; free frames have none',
  category: 'accounting',
  rationale:
    'A count lower than the references frees a frame still in use (a use-after-free); a higher one leaks it. Xen frees a page exactly when its count reaches zero.',
  source: 'seed 000: Tim Deegan 2014-12-11 16:46 ("Xen can refcount the underlying memory")',
  check(d) {
    const frames = d.state.frames;
    const counted = countedScratch(frames.length);
    for (const r of d.refs()) if (r.counted) counted[r.mfn] += 1;
    const out: RefcountWitness[] = [];
    for (let mfn = 0; mfn < frames.length; mfn++) {
      const f = frames[mfn];
      if (f.kind === 'mmio' || f.owner.kind === 'xen') continue;
      if (f.refcount === counted[mfn] && (f.owner.kind !== 'dom' || counted[mfn] > 0)) continue;
      const frame = { owner: f.owner, gen: f.gen, refcount: f.refcount };
      if (f.refcount !== counted[mfn]) {
        out.push({ reason: 'refcount-mismatch', mfn, expected: counted[mfn], actual: f.refcount, frame });
      } else {
        out.push({ reason: 'owned-frame-unreferenced', mfn, expected: '>0', actual: 0, frame });
      }
    }
    return out;
  },
  describe(w) {
    const where = `mfn ${hex(w.mfn)} (owner ${ownerText(w.frame.owner)})`;
    return w.reason === 'refcount-mismatch'
      ? `${where} has refcount ${w.actual} but ${w.expected} counted references`
      : `${where} is owned but nothing references it: leaked`;
  },
};
