/**
 * The derived relations of one state, computed at most once and shared by every invariant checked on
 * that state (the main performance lever: invariants are many, the relations are the expensive part).
 */
import type { ReachEntry, Ref } from './path.ts';
import { reach } from './reach.ts';
import { refs } from './refs.ts';
import type { State } from './state.ts';

/** A state with its lazily computed, memoised derived relations. */
export interface Derived {
  readonly state: State;
  reach(): readonly ReachEntry[];
  refs(): readonly Ref[];
}

/** Wrap a state; the relations are computed on first use. */
export function derive(state: State): Derived {
  let reachMemo: ReachEntry[] | undefined;
  let refsMemo: Ref[] | undefined;
  return {
    state,
    reach: () => (reachMemo ??= reach(state)),
    refs: () => (refsMemo ??= refs(state)),
  };
}
