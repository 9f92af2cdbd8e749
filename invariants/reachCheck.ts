/**
 * The check loop the reach invariants share: walk every reach fact, keep those the rule forbids, and
 * report each as a reach witness of one reason. no-xen-frame-reach, no-foreign-reach and
 * device-dma-only-own-domain differ only in which facts they forbid; writing the loop once keeps their
 * witnesses built the same way, so a reader compares the three rules and nothing else.
 */
import type { ReachEntry } from '../src/model/core/path.ts';
import type { Frame, State } from '../src/model/core/state.ts';
import type { Derived } from '../src/model/derived.ts';
import type { ReachWitness } from './types.ts';
import { reachWitness } from './witness.ts';

/** Every reach fact of `d` that `forbidden` says breaks the rule, as a witness with `reason`, in reach order. */
export function forbiddenReach<R extends string>(
  d: Derived,
  reason: R,
  forbidden: (state: State, e: ReachEntry, f: Frame) => boolean,
): ReachWitness<R>[] {
  const out: ReachWitness<R>[] = [];
  for (const e of d.reach()) {
    const f = d.state.frames[e.mfn];
    if (forbidden(d.state, e, f)) out.push(reachWitness(reason, e, f));
  }
  return out;
}
