/**
 * Harness errors in an audit: model or invariant code that threw, on either side. Each is reported
 * once — however many invariants' searches ran into it — with what a reviewer needs to find the
 * line: the op, its arguments, the step, which part of the op threw (resolve, enabled, apply, or an
 * invariant check after it), the top of the stack, and the steps before it.
 */
import type { Counterexample } from '../fuzz/campaign.ts';
import type { Action } from '../model/core/op.ts';
import type { Outcome, Step } from '../runner/outcome.ts';

/** Where in a step the throw happened. */
export type ErrorPhase = 'resolve' | 'enabled' | 'apply' | 'invariant check' | 'campaign';

/** One harness error, reported once. */
export interface HarnessError {
  side: 'baseline' | 'candidate';
  design: string;
  phase: ErrorPhase;
  /** The op being chosen or applied (absent for an invariant check of the initial state or a campaign that could not start). */
  op?: string;
  /** Its arguments: the resolved ones for `apply`, the raw generated ones for `resolve`/`enabled`. */
  args?: Record<string, unknown>;
  /** 1-based step number of the failing step (0: the initial state). */
  step: number;
  message: string;
  /** The first frame of the stack (file:line of the throw). */
  stackTop?: string;
  /** The steps applied before it. */
  trace: Step[];
  /** The invariants whose verdict it cut short. */
  invariants: string[];
}

/** The first `at …` line of a stack, trimmed, with paths under the working directory made relative. */
export function stackTop(stack: string | undefined, cwd: string = process.cwd()): string | undefined {
  const line = stack?.split('\n').find((l) => /^\s+at /.test(l));
  return line?.trim().replaceAll(`${cwd}/`, '').replaceAll(`file://${cwd}/`, '');
}

type ErrorFacts = Pick<Counterexample, 'trace' | 'step' | 'message' | 'failingAction' | 'during' | 'stack'>;

function argsOf(a: Action): Record<string, unknown> {
  const { op: _op, ...args } = a;
  return args;
}

/** A harness error from an error counterexample or outcome. */
export function harnessError(side: HarnessError['side'], design: string, facts: ErrorFacts, invariant: string | undefined): HarnessError {
  const base = { side, design, message: facts.message ?? 'threw', stackTop: stackTop(facts.stack), trace: facts.trace, invariants: invariant === undefined ? [] : [invariant] };
  if (facts.failingAction !== undefined) return { ...base, phase: 'apply', op: facts.failingAction.op, args: argsOf(facts.failingAction), step: facts.step + 1 };
  if (facts.during !== undefined) return { ...base, phase: facts.during.phase, op: facts.during.op, args: facts.during.raw, step: facts.step + 1 };
  // Thrown while checking invariants after the step (or on the initial state: step 0).
  const last = facts.trace[facts.step];
  return { ...base, phase: 'invariant check', op: last?.action.op, args: last === undefined ? undefined : argsOf(last.action), step: facts.step + 1 };
}

/** The same facts from a replayed outcome. */
export function outcomeFacts(o: Extract<Outcome, { kind: 'error' }>): ErrorFacts {
  return { trace: o.trace, step: o.step, message: o.message, failingAction: o.action, during: o.during, stack: o.stack };
}

/** Add `e` to `errors` unless the same throw (side, phase, op, step, message) is there; either way, the one kept. */
export function addOnce(errors: HarnessError[], e: HarnessError): HarnessError {
  const same = errors.find((x) => x.side === e.side && x.phase === e.phase && x.op === e.op && x.step === e.step && x.message === e.message);
  if (same === undefined) {
    errors.push(e);
    return e;
  }
  for (const i of e.invariants) if (!same.invariants.includes(i)) same.invariants.push(i);
  return same;
}

/** "apply of mapGrant dom=1 ref=0 threw at step 3: boom (at file.ts:12:5)". */
export function harnessErrorLine(e: HarnessError): string {
  const args = e.args === undefined ? '' : Object.entries(e.args).map(([k, v]) => ` ${k}=${Array.isArray(v) ? `[${v.join(',')}]` : String(v)}`).join('');
  const what = e.phase === 'campaign' ? 'the campaign' : e.op === undefined ? `the ${e.phase} of the initial state` : `${e.phase === 'invariant check' ? 'the invariant check after' : e.phase + ' of'} ${e.op}${args}`;
  const where = e.phase === 'campaign' ? '' : ` at step ${e.step}`;
  return `${e.design} (${e.side}): ${what} threw${where}: ${e.message}${e.stackTop ? ` (${e.stackTop})` : ''}`;
}
