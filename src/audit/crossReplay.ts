/**
 * Replaying one side's trace on the other side of an audit: the evidence that turns "the candidate's
 * search found nothing" into "the baseline's counterexample no longer breaks it on the candidate",
 * and "the candidate breaks it" into "…in a way the baseline does not". A trace is replayed as
 * recorded (explicit actions, no `resolve`) at the design's default knobs; an action the other design
 * has no op for, cannot issue, or lacks an argument for means the trace cannot run there, said so.
 */
import type { Invariant } from '../../invariants/types.ts';
import type { Design } from '../model/core/design.ts';
import type { KnobValues } from '../model/core/op.ts';
import type { Scope } from '../model/core/scope.ts';
import { makeChecker } from '../runner/checker.ts';
import type { Outcome, Step } from '../runner/outcome.ts';
import { runResolved } from '../runner/run.ts';
import { guardArguments, missingArgumentWords } from '../trace/argGuard.ts';
import { stepWords } from '../trace/replay.ts';

/** How a trace fared on a design. */
export type ReplayVerdict = 'violates' | 'holds' | 'cannot run' | 'error';

/** A trace replayed on a design: the verdict, in words, and the outcome (for evidence and errors). */
export interface Replayed {
  verdict: ReplayVerdict;
  words: string;
  outcome?: Outcome;
}

/** Replay `trace` on `design` at `knobs` in `scope`, checking `inv` only. */
export function replayTrace(design: Design, knobs: KnobValues, scope: Scope, inv: Invariant, trace: readonly Step[]): Replayed {
  if (!design.invariants.includes(inv.id)) return { verdict: 'cannot run', words: `${design.id} does not check ${inv.id}` };
  let checker: ReturnType<typeof makeChecker>;
  try {
    checker = makeChecker(design, knobs, scope, [inv]);
  } catch (e) {
    return { verdict: 'error', words: `building ${design.id}'s world threw: ${e instanceof Error ? e.message : String(e)}` };
  }
  const { guarded, missing, restore } = guardArguments(trace.map((s) => s.action));
  const r = runResolved(checker, guarded);
  const outcome = restore(r.outcome);
  if (missing.length > 0) return { verdict: 'cannot run', words: `cannot run: ${missingArgumentWords(missing[0])}`, outcome };
  if (r.problems.length > 0) {
    const p = r.problems[0];
    return { verdict: 'cannot run', words: `cannot run: ${stepWords(p.step)} ${p.reason === 'unknown-op' ? `is ${p.op}, an op ${design.id} does not have` : `(${p.op}) is not enabled there`}`, outcome };
  }
  if (outcome.kind === 'error') return { verdict: 'error', words: `harness error at ${stepWords(outcome.step)}: ${outcome.message}`, outcome };
  if (outcome.kind === 'violation' && outcome.violations.some((v) => v.invariant === inv.id)) return { verdict: 'violates', words: `violated at ${stepWords(outcome.step)}`, outcome };
  return { verdict: 'holds', words: `holds through all ${outcome.trace.length} steps`, outcome };
}
