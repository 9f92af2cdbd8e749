/**
 * Measuring what audit's default budget must be: for every shipped design at its defaults and at each
 * of its notable knob variants (each one a proposal a reviewer could write as a knob file), and for
 * every invariant that setting is expected to break, the run of a seed's fast-check sequence at which
 * the invariant first fails. A campaign with budget R finds that violation from that seed exactly
 * when the first failing run is at most R: the joint search fails no later, and the invariant's own
 * search replays the same seed's chunks (each chunk draws run i the same whatever its run count).
 */
import fc from 'fast-check';
import { findInvariant } from '../../invariants/registry.ts';
import type { Design } from '../model/core/design.ts';
import { knobDefaults } from '../model/core/design.ts';
import type { KnobValues } from '../model/core/op.ts';
import type { Scope } from '../model/core/scope.ts';
import { chunkSpec, prepareSearch } from '../fuzz/campaign.ts';
import type { RawAction } from '../runner/run.ts';
import { runGenerated } from '../runner/run.ts';

/** One expected violation: a design at some knob values and an invariant it is expected to break. */
export interface ExpectedViolation {
  design: Design;
  knobs: KnobValues;
  /** The knob settings that differ from the design's defaults, `name=value` (empty: the defaults). */
  settings: string[];
  invariant: string;
}

/** Every expected violation of `designs` at their defaults and (unless `variants` is false) each variant. */
export function expectedViolations(designs: readonly Design[], variants = true): ExpectedViolation[] {
  const out: ExpectedViolation[] = [];
  for (const design of designs) {
    const defaults = knobDefaults(design);
    for (const variant of [{}, ...(variants ? (design.variants ?? []) : [])]) {
      const knobs = { ...defaults, ...variant };
      const settings = Object.entries(variant).filter(([k, v]) => defaults[k] !== v).map(([k, v]) => `${k}=${String(v)}`);
      for (const [invariant, e] of Object.entries(design.expect(knobs))) {
        if (e.verdict === 'violated' && design.invariants.includes(invariant)) out.push({ design, knobs, settings, invariant });
      }
    }
  }
  return out;
}

/**
 * The 1-based run at which `v.invariant` first fails from `seed`, checked alone, or undefined when
 * none of the first `cap` runs does. It walks the campaign's own chunks (`chunkSpec`: 50 runs each,
 * each from its chunk seed), so a campaign with run budget R finds the violation exactly when this is
 * at most R; each chunk stops at its first failure without shrinking.
 */
export function firstFailingRun(v: ExpectedViolation, seed: number, cap: number, scope: Scope): number | undefined {
  const inv = findInvariant(v.invariant);
  if (inv === undefined) throw new Error(`no invariant '${v.invariant}'`);
  let before = 0;
  for (let index = 0; ; index++) {
    const chunk = chunkSpec(seed, index, { runs: cap });
    if (chunk === undefined) return undefined;
    const { checker, arb } = prepareSearch(v.design, v.knobs, scope, [inv]);
    let runs = 0;
    let first: number | undefined;
    const property = fc.property(arb, (actions: RawAction[]) => {
      if (first === undefined) runs += 1;
      const failed = runGenerated(checker, actions).kind !== 'ok';
      if (failed && first === undefined) first = runs;
      return !failed;
    });
    fc.check(property, { seed: chunk.seed, numRuns: chunk.numRuns, endOnFailure: true });
    if (first !== undefined) return before + first;
    before += chunk.numRuns;
  }
}
