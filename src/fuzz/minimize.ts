/**
 * After fast-check has shrunk a counterexample, one more pass on the explicit trace: drop each step in
 * turn and keep the drop if the same invariant still breaks (1-minimality, as in delta debugging).
 * fast-check shrinks the generated form; this shrinks what a person reads.
 */
import type { Action } from '../model/core/op.ts';
import type { Checker } from '../runner/checker.ts';
import type { Outcome } from '../runner/outcome.ts';
import { runResolved } from '../runner/run.ts';

/** Whether an outcome is the failure we are minimising: a violation of `invariant`, or an error. */
function sameFailure(o: Outcome, invariant: string | undefined): boolean {
  if (invariant === undefined) return o.kind === 'error';
  return o.kind === 'violation' && o.violations.some((v) => v.invariant === invariant);
}

/** The explicit actions of an outcome, including the one that threw, for an error. */
export function actionsOf(o: Outcome): Action[] {
  const actions = o.trace.map((s) => s.action);
  if (o.kind === 'error' && o.action !== undefined) actions.push(o.action);
  return actions;
}

/**
 * Remove steps while the failure persists; returns the final outcome, whose trace holds only steps
 * that were applied. `invariant` undefined means "minimise an error".
 */
export function minimizeTrace(checker: Checker, outcome: Outcome, invariant: string | undefined): Outcome {
  let best = outcome;
  let actions: Action[] = actionsOf(outcome);
  for (let i = actions.length - 1; i >= 0; i--) {
    const candidate = [...actions.slice(0, i), ...actions.slice(i + 1)];
    const { outcome: o } = runResolved(checker, candidate);
    if (sameFailure(o, invariant)) {
      best = o;
      actions = actionsOf(o);
      i = Math.min(i, actions.length);
    }
  }
  // Steps after the violating one never matter; the runner stops there, so the trace already ends on it.
  return best;
}
