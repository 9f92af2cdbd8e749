/**
 * How a slice (a subsystem: RMRR, GPU shadowing, virtio-GPU…) registers with the core. The core
 * computes the derived relations and renders paths without naming any slice: it concatenates what
 * the slices listed in src/model/slices.ts hand it here. A slice's state fields and hop kinds are
 * merged into `State` and `HopKinds` in that same file (type-only), so it stays the one place that
 * names them all.
 */
import type { ReachSource, RefSource } from './path.ts';

/** Words for each hop kind of `K` (a `via` → hop type map), each typed for its own hop. */
export type HopWords<K> = { readonly [V in keyof K]: (hop: K[V]) => string };

/** What one slice contributes to the core. `K` is the slice's own hop kinds. */
export interface Slice<K> {
  /** The slice's folder name under src/model/. */
  readonly name: string;
  /**
   * Its sources of `reach` facts, in order. `reach()` is the concatenation over the slices, in the
   * listing's order, so witness order (kept in the corpus) follows from both orders.
   */
  readonly reach: readonly ReachSource[];
  /** Its sources of `refs` facts, in order; concatenated like `reach`. */
  readonly refs: readonly RefSource[];
  /** Words for each of its hop kinds. */
  readonly hopWords: HopWords<K>;
  // What a domain's destruction, a p2m change or a balloon-out does to the slice's state belongs here
  // too, once teardown is one visible sequence (issue 9 item 3).
}
