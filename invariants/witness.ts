/**
 * Building witnesses that several invariants share, so each finding of the same kind reads the same.
 */
import type { ReachEntry } from '../src/model/core/path.ts';
import type { Frame } from '../src/model/core/state.ts';
import type { FrameFacts, ReachWitness, Witness } from './types.ts';

/** The frame as a witness shows it: owner, generation and stored refcount, as they are now. */
export function frameFacts(f: Frame): FrameFacts {
  return { owner: f.owner, gen: f.gen, refcount: f.refcount };
}

/** A witness that principal `e` reaches frame `f` by its path; `extra` adds what the invariant needs. */
export function reachWitness<R extends string, X extends Partial<Omit<Witness, 'reason'>> = object>(reason: R, e: ReachEntry, f: Frame, extra?: X): ReachWitness<R> & X {
  return { reason, principal: e.principal, mfn: e.mfn, path: e.path, ...extra, frame: frameFacts(f) } as ReachWitness<R> & X;
}
