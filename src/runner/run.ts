/**
 * Executes action lists on a prepared checker. Two entry points share one step loop:
 *  - `runGenerated`: raw generated actions, each resolved against the current state first (the
 *    fuzzer's path); actions with nothing to act on are skipped and leave no trace.
 *  - `runResolved`: explicit actions from a trace (replay, minimisation); nothing is re-chosen.
 * Invariants run after the initial state and after every applied step (Hypothesis's rule: in the
 * runner, not inside the operations). An exception from model or invariant code is an `error`
 * outcome — a harness bug — never a violation.
 */
import type { TransitionInvariant, Witness } from '../../invariants/types.ts';
import { cloneState } from '../model/core/clone.ts';
import { sameState } from '../model/core/equal.ts';
import { derive } from '../model/derived.ts';
import type { State } from '../model/core/state.ts';
import type { Action, GenSpec, OpContext, OpDef, OpResult, RawArgs } from '../model/core/op.ts';
import { schedulable } from '../model/core/phase.ts';
import type { Checker } from './checker.ts';
import type { FaultPlan } from './faultInjection.ts';
import type { Outcome, Step, Violation } from './outcome.ts';
import type { Stats } from './stats.ts';
import { opCounters } from './stats.ts';
import { publishBetween, publishChecking, publishRun, publishStep, stepProbe } from './stepProbe.ts';

/** A generated, not yet resolved action: an op name and its raw arguments. */
export interface RawAction {
  op: string;
  raw: RawArgs<GenSpec>;
}

/** Options for a run. */
export interface RunOptions {
  /** Counters to add to; omitted for replay and minimisation. */
  stats?: Stats;
  /**
   * Called with the live state after the initial state is built (step -1) and after each applied step
   * (its index in the trace), before invariants are checked: ITF export and `explain` snapshot it.
   */
  onState?: (state: State, step: number) => void;
  /** Which fallible points fail (faultInjection.ts); none when omitted. */
  faults?: FaultPlan;
}

const NO_NOTE = (): void => {};

/** The op context for a run; `warnings` collects what the current step logs. */
function context(checker: Checker, stats: Stats | undefined, warnings: string[]): OpContext {
  const note = stats ? (s: string) => void (stats.situations[s] = (stats.situations[s] ?? 0) + 1) : NO_NOTE;
  return { scope: checker.scope, knobs: checker.knobs, note, warn: (m: string) => void warnings.push(m), rules: checker.design.rules };
}

/** The transition invariants that have something to say about `action` from `state`. */
function activeTransitions(checker: Checker, state: State, action: Action): TransitionInvariant[] | undefined {
  const watching = checker.transitions.get(action.op);
  if (watching === undefined && checker.everyStep.length === 0) return undefined;
  const all = watching === undefined ? checker.everyStep : [...checker.everyStep, ...watching];
  const active = all.filter((inv) => inv.when === undefined || inv.when(state, action));
  return active.length > 0 ? active : undefined;
}

/**
 * The snapshot of the state before the next step, when some invariant watches every step. A refused
 * step usually changes nothing, so its snapshot is kept when the state still equals it (an
 * allocation-free comparison) and a copy is made only after steps that changed something.
 */
function nextSnapshot(snapshot: State, state: State, result: OpResult): State {
  if (!result.ok && sameState(snapshot, state)) {
    snapshot.clock = state.clock;
    return snapshot;
  }
  return cloneState(state);
}

/** Check every state invariant, and the active transition invariants, on the new state. */
function checkStep(
  checker: Checker,
  state: State,
  before: State | undefined,
  action: Action | undefined,
  result: OpResult | undefined,
  transitions: readonly TransitionInvariant[] | undefined,
): Violation[] {
  const d = derive(state);
  const found: Violation[] = [];
  for (const inv of checker.stateInvariants) {
    const w: Witness[] = inv.check(d);
    if (w.length > 0) found.push({ invariant: inv.id, witnesses: w });
  }
  if (transitions !== undefined && action !== undefined && before !== undefined && result !== undefined) {
    for (const inv of transitions) {
      const w = inv.check(before, action, result, d);
      if (w.length > 0) found.push({ invariant: inv.id, witnesses: w });
    }
  }
  return found;
}

/** A throw from an op's `resolve` or `enabled`, kept with the op and its raw arguments for the report. */
class ChoosingError extends Error {
  constructor(
    override readonly cause: Error,
    readonly during: NonNullable<Extract<Outcome, { kind: 'error' }>['during']>,
  ) {
    super(cause.message);
  }
}

/** Call `f` for op `op` in `phase`, tagging anything it throws with the op and its raw arguments. */
function choosing<T>(phase: 'resolve' | 'enabled', op: string, raw: Record<string, unknown>, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new ChoosingError(e instanceof Error ? e : new Error(String(e)), { phase, op, raw: { ...raw } });
  }
}

/** The shared loop: `next(state, i)` yields the i-th explicit action to apply, or null to skip it. */
function loop(
  checker: Checker,
  count: number,
  next: (state: State, i: number) => { op: OpDef; action: Action } | null,
  opts: RunOptions,
): Outcome {
  const state = cloneState(checker.world);
  const trace: Step[] = [];
  const warnings: string[] = [];
  const ctx = context(checker, opts.stats, warnings);
  let stepIndex = -1;
  let applying: Action | undefined;
  let snapshot: State | undefined;
  // The watchdog's view of this run (installed only in its worker thread).
  const probe = stepProbe();
  try {
    if (probe !== undefined) publishRun(probe);
    opts.onState?.(state, -1);
    const initial = checkStep(checker, state, undefined, undefined, undefined, undefined);
    if (initial.length > 0) return { kind: 'violation', trace, step: -1, violations: initial };
    if (checker.everyStep.length > 0) snapshot = cloneState(state);
    for (let i = 0; i < count; i++) {
      const chosen = next(state, i);
      if (chosen === null) continue;
      const { op, action } = chosen;
      stepIndex = trace.length;
      const transitions = activeTransitions(checker, state, action);
      const before = transitions === undefined ? undefined : (snapshot ?? cloneState(state));
      warnings.length = 0;
      applying = action;
      if (probe !== undefined) publishStep(probe, stepIndex, action);
      const site = opts.faults?.forStep(i);
      ctx.faults = site;
      const result = op.apply(state, action, ctx);
      if (probe !== undefined) publishChecking(probe);
      applying = undefined;
      state.clock += 1;
      const step: Step = warnings.length > 0 ? { action, result, warnings: [...warnings] } : { action, result };
      const fault = site?.injected();
      if (fault !== undefined) step.fault = fault;
      trace.push(step);
      opts.onState?.(state, stepIndex);
      if (opts.stats) {
        opts.stats.steps += 1;
        const c = opCounters(opts.stats, op.name);
        if (result.ok) c.applied += 1;
        else c.refused += 1;
      }
      const found = checkStep(checker, state, before, action, result, transitions);
      if (probe !== undefined) publishBetween(probe);
      if (found.length > 0) return { kind: 'violation', trace, step: stepIndex, violations: found };
      if (snapshot !== undefined) snapshot = nextSnapshot(snapshot, state, result);
    }
    return { kind: 'ok', trace };
  } catch (e) {
    // A throw while choosing the next action happened at the step it would have been, not the last one applied.
    if (e instanceof ChoosingError) return { kind: 'error', trace, step: trace.length, message: e.cause.message, stack: e.cause.stack, during: e.during };
    const err = e instanceof Error ? e : new Error(String(e));
    return { kind: 'error', trace, step: stepIndex, message: err.message, stack: err.stack, action: applying };
  }
}

/** Run generated actions: resolve each against the current state, skip those with nothing to act on. */
export function runGenerated(checker: Checker, actions: readonly RawAction[], opts: RunOptions = {}): Outcome {
  return loop(
    checker,
    actions.length,
    (state, i) => {
      const { op: name, raw } = actions[i];
      const op = checker.ops.get(name);
      if (op === undefined) throw new Error(`generated action names unknown op '${name}'`);
      const c = opts.stats ? opCounters(opts.stats, name) : undefined;
      if (c) c.generated += 1;
      const args = choosing('resolve', name, raw, () => op.resolve(state, raw, checker.scope));
      // A pending continuation holding a lock the action needs: the scheduler runs something else.
      if (args === null || !choosing('enabled', name, raw, () => op.enabled(state, args)) || !schedulable(state, op, args)) return null;
      if (c) c.enabled += 1;
      return { op, action: { op: name, ...args } };
    },
    opts,
  );
}

/** Why an explicit action cannot be replayed, if it cannot. */
export type ReplayProblem = { step: number; reason: 'unknown-op' | 'not-enabled'; op: string };

/**
 * Run explicit actions. An action naming an op the design lacks, or one its actor cannot issue now
 * (or that needs a lock a pending continuation holds), is skipped and reported in `problems` (replay calls such an entry stale).
 */
export function runResolved(
  checker: Checker,
  actions: readonly Action[],
  opts: RunOptions = {},
): { outcome: Outcome; problems: ReplayProblem[] } {
  const problems: ReplayProblem[] = [];
  const outcome = loop(
    checker,
    actions.length,
    (state, i) => {
      const action = actions[i];
      const op = checker.ops.get(action.op);
      if (op === undefined) {
        problems.push({ step: i, reason: 'unknown-op', op: action.op });
        return null;
      }
      const { op: _name, ...args } = action;
      if (!op.enabled(state, args) || !schedulable(state, op, args)) {
        problems.push({ step: i, reason: 'not-enabled', op: action.op });
        return null;
      }
      return { op, action };
    },
    opts,
  );
  return { outcome, problems };
}
