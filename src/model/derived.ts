/**
 * The derived relations of one state, computed at most once and shared by every invariant checked on
 * that state (the main performance lever: invariants are many, the relations are the expensive part).
 */
import type { ReachEntry, Ref } from './core/path.ts';
import { reach } from './reach.ts';
import { refs } from './refs.ts';
import type { State } from './core/state.ts';

/** A state with its lazily computed, memoised derived relations. */
export interface Derived {
  readonly state: State;
  reach(): readonly ReachEntry[];
  refs(): readonly Ref[];
}

/** A class rather than closures: one is made per checked step, and this is the hot path. */
class MemoDerived implements Derived {
  private reachMemo: ReachEntry[] | undefined;
  private refsMemo: Ref[] | undefined;
  constructor(readonly state: State) {}
  reach(): readonly ReachEntry[] {
    return (this.reachMemo ??= reach(this.state));
  }
  refs(): readonly Ref[] {
    return (this.refsMemo ??= refs(this.state));
  }
}

/** Wrap a state; the relations are computed on first use. */
export function derive(state: State): Derived {
  return new MemoDerived(state);
}
