/**
 * BFS-backed shortening: the pass after fuzz's shrinking. fast-check and the 1-minimal pass
 * (src/fuzz/minimize.ts) only ever drop steps or shrink raw arguments, so they stop at a trace from
 * which no single step can go — which need not be a shortest one. The translate race from seed 1 is
 * the example: fuzz balloons a dom0 page out before it repopulates that GFN; dropping the balloon step
 * makes the populate's explicit GFN answer EEXIST, so every one-step drop loses the violation, yet a
 * 3-action race exists (populate into the other, empty GFN). Only a search over *different* actions
 * finds it, and breadth-first search is that search, with its answer shortest by construction.
 *
 * So: given a shrunk counterexample of length L, explore breadth-first (the checker's own explorer,
 * same ops, resolve, invariants) to depth L − 1 for the same invariant in the campaign's scope; a
 * violation found there is shorter and replaces the trace (replayed through the runner, so it is an
 * ordinary explicit trace); none found proves the shrunk trace shortest in that scope. The search is
 * only attempted when it is affordable: the branching at the world (actions enabled there) raised to
 * L − 1 must stay under a transition budget, and the search stops at a state limit. In the default
 * scope (≈1,200 actions per state) that leaves only traces of 2 actions; in the designs' small check
 * scopes (≈4–15 per state) traces up to about 6.
 */
import type { Invariant } from '../../invariants/types.ts';
import type { Design } from '../model/core/design.ts';
import type { KnobValues } from '../model/core/op.ts';
import type { Scope } from '../model/core/scope.ts';
import type { Counterexample } from '../fuzz/campaign.ts';
import { makeChecker } from '../runner/checker.ts';
import { runResolved } from '../runner/run.ts';
import { enabledActions, rawSpaces } from './enumerate.ts';
import { runCheck } from './explore.ts';

/** Limits of one shortening search. */
export interface ShortenLimits {
  /** Attempt only when (actions enabled at the world)^(L−1) is at most this. */
  maxTransitions: number;
  /** Stop the search (keeping the shrunk trace) at this many distinct states. */
  maxStates: number;
  /** Pick indices enumerated (as `check`'s pickLimit). */
  pickLimit: number;
}

/** Defaults: about a second of search at the checker's rate, on the designs' check scopes. */
export const SHORTEN_LIMITS: ShortenLimits = { maxTransitions: 200_000, maxStates: 50_000, pickLimit: 8 };

/** What the pass did, for reports and tests. */
export type ShortenOutcome =
  | { kind: 'shortened'; from: number; to: number }
  | { kind: 'shortest'; length: number } // depth L − 1 explored in full: no shorter trace in scope
  | { kind: 'skipped'; reason: string }; // too costly, or the search hit its state limit

/**
 * Shorten a shrunk violation of `invariant` by breadth-first search in `scope`. Returns the
 * counterexample to keep (the shorter one, with its replayed steps, or `cx` itself) and what happened.
 * An error counterexample (a throw) is left as it is.
 */
export function shortenByBfs(
  design: Design,
  knobs: KnobValues,
  scope: Scope,
  invariant: Invariant,
  cx: Counterexample,
  limits: ShortenLimits = SHORTEN_LIMITS,
): { counterexample: Counterexample; outcome: ShortenOutcome } {
  const length = cx.trace.length;
  if (cx.kind !== 'violation') return { counterexample: cx, outcome: { kind: 'skipped', reason: 'an error, not a violation' } };
  if (length <= 1) return { counterexample: cx, outcome: { kind: 'shortest', length } };
  const checker = makeChecker(design, knobs, scope, [invariant]);
  const branching = enabledActions(checker.world, checker.opList, rawSpaces(checker.opList, scope, limits.pickLimit), scope).length;
  const cost = branching ** (length - 1);
  if (cost > limits.maxTransitions) return { counterexample: cx, outcome: { kind: 'skipped', reason: `${branching} actions at the world: ~${branching}^${length - 1} transitions` } };
  const r = runCheck(design, {
    knobs,
    scope,
    scopeName: 'shorten',
    invariants: [invariant],
    depth: length - 1,
    maxStates: limits.maxStates,
    reduction: 'symmetry',
    pickLimit: limits.pickLimit,
    stopAtFirst: true,
  });
  const found = r.verdicts[0].counterexample;
  if (found === undefined || found.kind !== 'violation') {
    if (r.stopped === 'max-states') return { counterexample: cx, outcome: { kind: 'skipped', reason: `state limit at depth ${r.depthComplete}` } };
    return { counterexample: cx, outcome: { kind: 'shortest', length } };
  }
  // Replay the explicit actions: the kept trace is whatever the runner makes of them, as for any trace.
  const { outcome, problems } = runResolved(checker, found.trace.map((s) => s.action));
  if (problems.length > 0 || outcome.kind !== 'violation' || !outcome.violations.some((v) => v.invariant === invariant.id)) {
    return { counterexample: cx, outcome: { kind: 'skipped', reason: 'the shorter trace did not replay (nondeterminism?)' } };
  }
  const own = outcome.violations.find((v) => v.invariant === invariant.id)!;
  const shorter: Counterexample = { ...cx, trace: outcome.trace, step: outcome.step, violations: [own, ...outcome.violations.filter((v) => v !== own)] };
  return { counterexample: shorter, outcome: { kind: 'shortened', from: length, to: outcome.trace.length } };
}
