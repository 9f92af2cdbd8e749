/**
 * A search for a new way to break an invariant both sides already break. The candidate's ordinary
 * campaign stops at its first counterexample, which, when the baseline breaks the invariant too, is
 * usually the shared bug; so for such an invariant the audit searches the candidate again with a
 * differential predicate: a run fails only when it breaks the invariant on the candidate *and* its
 * trace, replayed on the baseline, does not. fast-check shrinks with that same predicate, and a last
 * pass drops single steps while it still holds, so the trace reported stays a candidate-only break.
 */
import fc from 'fast-check';
import type { Invariant } from '../../invariants/types.ts';
import type { Design } from '../model/core/design.ts';
import { knobDefaults } from '../model/core/design.ts';
import type { Action } from '../model/core/op.ts';
import type { Scope } from '../model/core/scope.ts';
import { actionsArbitrary } from '../fuzz/arbitraries.ts';
import type { Checker } from '../runner/checker.ts';
import { makeChecker } from '../runner/checker.ts';
import type { Outcome } from '../runner/outcome.ts';
import type { RawAction } from '../runner/run.ts';
import { runGenerated, runResolved } from '../runner/run.ts';
import type { Replayed } from './crossReplay.ts';
import { replayTrace } from './crossReplay.ts';

/** Options of a differential search. */
export interface DifferentialOptions {
  seed: number;
  runs: number;
  scope: Scope;
  /** Checked between chunks of runs: stop early (Ctrl-C). */
  shouldStop?: () => boolean;
}

/** A candidate-only break: the candidate's violating outcome and what its trace does on the baseline. */
export interface DifferentialFinding {
  outcome: Extract<Outcome, { kind: 'violation' }>;
  onBaseline: Replayed;
  runs: number;
}

/** Runs per fast-check call, so the event loop gets a turn (signals) between chunks. */
const CHUNK_RUNS = 100;

function violates(o: Outcome, inv: string): o is Extract<Outcome, { kind: 'violation' }> {
  return o.kind === 'violation' && o.violations.some((v) => v.invariant === inv);
}

/** Whether `o` is a candidate-only break: it violates `inv` on the candidate and its trace does not on the baseline. */
function candidateOnly(o: Outcome, inv: Invariant, baseline: Design, scope: Scope): Replayed | undefined {
  if (!violates(o, inv.id)) return undefined;
  const r = replayTrace(baseline, knobDefaults(baseline), scope, inv, o.trace);
  return r.verdict === 'violates' || r.verdict === 'error' ? undefined : r;
}

/** Drop single steps while the trace stays a candidate-only break (1-minimality, as minimize.ts does for one design). */
function minimise(checker: Checker, found: Extract<Outcome, { kind: 'violation' }>, inv: Invariant, baseline: Design, scope: Scope): { outcome: Extract<Outcome, { kind: 'violation' }>; onBaseline: Replayed } {
  let best = found;
  let onBaseline = candidateOnly(found, inv, baseline, scope)!;
  let actions: Action[] = found.trace.map((s) => s.action);
  for (let i = actions.length - 1; i >= 0; i--) {
    const fewer = [...actions.slice(0, i), ...actions.slice(i + 1)];
    const o = runResolved(checker, fewer).outcome;
    const r = candidateOnly(o, inv, baseline, scope);
    if (r !== undefined && violates(o, inv.id)) {
      best = o;
      onBaseline = r;
      actions = o.trace.map((s) => s.action);
      i = Math.min(i, actions.length);
    }
  }
  return { outcome: best, onBaseline };
}

/** Search `candidate` for a break of `inv` that the baseline does not share; undefined when `runs` runs find none. */
export async function searchCandidateOnly(candidate: Design, baseline: Design, inv: Invariant, opts: DifferentialOptions): Promise<DifferentialFinding | undefined> {
  const checker = makeChecker(candidate, knobDefaults(candidate), opts.scope, [inv]);
  const arb = actionsArbitrary(checker.opList, opts.scope);
  let runs = 0;
  for (let chunk = 0; runs < opts.runs; chunk++) {
    const numRuns = Math.min(CHUNK_RUNS, opts.runs - runs);
    const property = fc.property(arb, (actions: RawAction[]) => candidateOnly(runGenerated(checker, actions), inv, baseline, opts.scope) === undefined);
    const details = fc.check(property, { seed: opts.seed + chunk, numRuns });
    runs += details.numRuns;
    if (details.failed && details.counterexample !== null) {
      const o = runGenerated(checker, details.counterexample[0]);
      if (violates(o, inv.id)) return { ...minimise(checker, o, inv, baseline, opts.scope), runs };
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (opts.shouldStop?.()) break;
  }
  return undefined;
}
