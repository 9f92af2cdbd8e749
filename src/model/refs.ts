/**
 * The `refs` relation: every live reference to a frame, with the generation it was taken at. Computed
 * from the state, never stored. Stored refcounts are checked against the counted ones
 * (Hyperkernel/Komodo style: refcount == |references|).
 */
import type { Ref, RefSource } from './core/path.ts';
import type { State } from './core/state.ts';
import { SLICES } from './slices.ts';

/** Every source of references, in order: each slice's, in the listing's order (slices.ts). */
const REF_SOURCES: readonly RefSource[] = SLICES.flatMap((s) => s.refs);

/** Compute the `refs` relation. */
export function refs(state: State): Ref[] {
  const out: Ref[] = [];
  for (const source of REF_SOURCES) source(state, out);
  return out;
}

/** The live references to one frame. */
export function refsTo(state: State, mfn: number): Ref[] {
  return refs(state).filter((r) => r.mfn === mfn);
}
