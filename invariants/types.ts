/**
 * What an invariant is: data plus a predicate that returns witnesses (empty = holds). State invariants
 * look at one state's derived relations; transition invariants look at (before, action, result, after)
 * for the operations they watch. Invariants never throw and never call `expect`; `describe` turns a
 * witness into words, separately from finding it.
 */
import type { Derived } from '../src/model/derived.ts';
import type { Hop, Principal } from '../src/model/core/path.ts';
import type { FrameOwner, State } from '../src/model/core/state.ts';
import type { Action, OpResult } from '../src/model/core/op.ts';

/** A finding: JSON naming the principal, the frame and the path — whichever apply. */
export interface Witness {
  /** Machine tag for the kind of finding, e.g. 'reaches-unowned-frame'. */
  reason: string;
  principal?: Principal;
  mfn?: number;
  path?: Hop[];
  /** Where a reference is held. */
  holder?: Hop;
  /** The frame as it is now. */
  frame?: { owner: FrameOwner; gen: number; refcount: number };
  dom?: number;
  expected?: unknown;
  actual?: unknown;
}

/** Invariant categories: what kind of promise is broken. */
export type Category = 'security' | 'functional' | 'accounting';

interface InvariantBase {
  id: string;
  title: string;
  category: Category;
  /** Tim Deegan's isolation level (seed 000, 2014-12-11 21:29), where one applies. */
  level?: number;
  rationale: string;
  source: string;
  /** The witness in words. */
  describe(w: Witness): string;
}

/** An invariant over one state. */
export interface StateInvariant extends InvariantBase {
  kind: 'state';
  check(d: Derived): Witness[];
}

/** An invariant over one step, for the operations it names. */
export interface TransitionInvariant extends InvariantBase {
  kind: 'transition';
  /** The operations it watches, or 'every' for a generic invariant that watches every op of every design. */
  ops: readonly string[] | 'every';
  /**
   * Whether the invariant can have anything to say about this step, judged on the state before it.
   * The runner snapshots the state only when this holds (snapshots are the costly part); absent: always.
   */
  when?(before: State, action: Action): boolean;
  check(before: State, action: Action, result: OpResult, after: Derived): Witness[];
}

/** Any invariant. */
export type Invariant = StateInvariant | TransitionInvariant;
