/**
 * What an invariant is: data plus a predicate that returns witnesses (empty = holds). State invariants
 * look at one state's derived relations; transition invariants look at (before, action, result, after)
 * for the operations they watch. Invariants never throw and never call `expect`; `describe` turns a
 * witness into words, separately from finding it.
 */
import type { Derived } from '../src/model/derived.ts';
import type { Hop, HopOf, Principal } from '../src/model/core/path.ts';
import type { FrameOwner, State } from '../src/model/core/state.ts';
import type { Action, ArgRecord, OpResult } from '../src/model/core/op.ts';

/**
 * A finding: JSON naming the principal, the frame and the path — whichever apply. Every invariant
 * narrows it to its own witness type (below), which says which fields it always fills, so its
 * `describe` reads them without guessing; the runner, the corpus and the reports see this base shape.
 */
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

/** The frame as a witness shows it: owner, generation and stored refcount, as they are now. */
export type FrameFacts = NonNullable<Witness['frame']>;

/** A witness that a principal reaches a frame, by its path, with the frame as it is. */
export interface ReachWitness<R extends string = string> extends Witness {
  reason: R;
  principal: Principal;
  mfn: number;
  path: Hop[];
  frame: FrameFacts;
}

/** A witness about one place a reference or an entry is held (`holder`, a hop of kind `V`). */
export interface HolderWitness<V extends Hop['via'] = Hop['via'], R extends string = string> extends Witness {
  reason: R;
  holder: HopOf<V>;
}

/** Invariant categories: what kind of promise is broken. */
export type Category = 'security' | 'functional' | 'accounting';

interface InvariantBase<W extends Witness> {
  id: string;
  title: string;
  category: Category;
  /** Tim Deegan's isolation level (seed 000, 2014-12-11 21:29), where one applies. */
  level?: number;
  rationale: string;
  source: string;
  /**
   * The witness in words. (Declared as a method, so an invariant typed for its own witness still
   * sits in the one list of invariants: the runner only hands it witnesses its own `check` made.)
   */
  describe(w: W): string;
}

/** An invariant over one state; `W` is the type of its witnesses. */
export interface StateInvariant<W extends Witness = Witness> extends InvariantBase<W> {
  kind: 'state';
  check(d: Derived): W[];
}

/** An invariant over one step, for the operations it names; `W` is the type of its witnesses. */
export interface TransitionInvariant<W extends Witness = Witness, A extends ArgRecord = ArgRecord> extends InvariantBase<W> {
  kind: 'transition';
  /** The operations it watches, or 'every' for a generic invariant that watches every op of every design. */
  ops: readonly string[] | 'every';
  /**
   * Whether the invariant can have anything to say about this step, judged on the state before it.
   * The runner snapshots the state only when this holds (snapshots are the costly part); absent: always.
   */
  // `A`: the arguments of the op(s) watched (`ArgsOf<typeof op>`), so `check` reads them typed. Method
  // syntax keeps the parameter bivariant, so a typed invariant still sits in the `Invariant` list.
  when?(before: State, action: Action & A): boolean;
  check(before: State, action: Action & A, result: OpResult, after: Derived): W[];
}

/** Any invariant. */
export type Invariant = StateInvariant | TransitionInvariant;
