/**
 * The audit's bounded exhaustive pass: besides the random campaign, both designs are explored
 * breadth-first (src/check/explore.ts, the checker behind `shadowcheck check`) in the baseline's small
 * scope to a depth bound, each at its own default knobs. Each shortest counterexample found joins the
 * fuzzer's and is replayed on the other side like any other trace, so "nothing newly broken" states
 * its reach: "in N runs and in all traces ≤ d actions in scope S".
 *
 * Both sides are explored in the *baseline's* scope: a proposal has its own id, and comparing two
 * designs in two different worlds would compare nothing. A baseline that `check` names no small scope
 * for (it falls back to the default-sized `slice-small`, whose branching makes even depth 3 minutes and
 * gigabytes for RMRR) gets no pass, and the report says so rather than silently skipping it.
 */
import type { Invariant } from '../../invariants/types.ts';
import type { Design } from '../model/core/design.ts';
import { knobDefaults } from '../model/core/design.ts';
import type { Step, Violation } from '../runner/outcome.ts';
import { runCheckAsync } from '../check/explore.ts';
import type { NamedScope } from '../check/scopes.ts';
import { checkScopeOf } from '../check/scopes.ts';
import type { StopReason } from '../check/types.ts';

/** Default depth bound: every trace of at most this many actions (a few seconds per side in core-small). */
export const AUDIT_DEFAULT_DEPTH = 4;
/** Default state limit per side: the pass stops there, and the reach it states is the last complete depth. */
export const AUDIT_DEFAULT_MAX_STATES = 20_000;
/** The name `check` gives the fallback scope of designs it names no small scope for (src/check/scopes.ts). */
export const FALLBACK_SCOPE_NAME = 'slice-small';

/** A counterexample the exhaustive pass found: the shortest trace to a violation of `invariant`. */
export interface ExhaustiveFinding {
  invariant: string;
  trace: Step[];
  /** Index in `trace` of the violating step. */
  step: number;
  violations: Violation[];
}

/** What the pass explored on one design. */
export interface ExhaustiveSide {
  /** Every trace of at most this many actions was explored (levels up to it are complete). */
  depth: number;
  /** Distinct states visited (after symmetry reduction). */
  states: number;
  transitions: number;
  /** Why exploration stopped (`depth`: the bound; `max-states`: the limit; `all-violated`: nothing left to find). */
  stopped: StopReason;
  elapsedMs: number;
  /** What the model threw while exploring, if it did: the pass stopped there (the audit reports it as a harness error). */
  error?: string;
}

/** One side's result with its findings (the findings become audit evidence; the rest is the reach). */
export interface ExhaustiveResult extends ExhaustiveSide {
  findings: ExhaustiveFinding[];
  /** When an op threw: the steps before it and the action that threw (not in `trace`). */
  thrown?: { trace: Step[]; action: Step['action'] | undefined; message: string };
}

/** The exhaustive pass of an audit: the scope and bound, and each side's reach — or why there was none. */
export type ExhaustiveReach =
  | { ran: true; scope: string; depthBound: number; maxStates: number; baseline: ExhaustiveSide; candidate: ExhaustiveSide }
  | { ran: false; reason: string };

/** How the audit runs the pass. */
export interface ExhaustiveOptions {
  depth: number;
  maxStates: number;
  /** The scope to explore; default: the baseline's small scope (`smallScopeFor`). */
  scope?: NamedScope;
  /** Checked between chunks (Ctrl-C). */
  shouldStop?: () => boolean;
}

/**
 * The baseline's small scope, or why it has none (the report prints "no exhaustive pass: " and this):
 * `check` explores such a design only in the default-sized fallback, which `shadowcheck check
 * --design ID` can still do on its own, without an audit's time limit.
 */
export function smallScopeFor(baseline: Design): NamedScope | string {
  const s = checkScopeOf(baseline);
  if (s.name === FALLBACK_SCOPE_NAME) return `no small scope for design ${baseline.id}`;
  return s;
}

/** Explore `design` at its default knobs in `scope`; each violated invariant's shortest trace is a finding. */
export async function exhaustivePass(design: Design, invariants: readonly Invariant[], scope: NamedScope, opts: ExhaustiveOptions): Promise<ExhaustiveResult> {
  const r = await runCheckAsync(design, {
    knobs: knobDefaults(design),
    scope: scope.scope,
    scopeName: scope.name,
    pickLimit: scope.pickLimit,
    invariants,
    depth: opts.depth,
    maxStates: opts.maxStates,
    reduction: 'symmetry',
    shouldStop: opts.shouldStop,
  });
  const findings: ExhaustiveFinding[] = [];
  let thrown: ExhaustiveResult['thrown'];
  for (const v of r.verdicts) {
    const cx = v.counterexample;
    if (cx === undefined) continue;
    if (cx.kind === 'error') thrown ??= { trace: cx.trace, action: cx.failingAction, message: cx.message ?? 'threw' };
    else findings.push({ invariant: v.invariant, trace: cx.trace, step: cx.step, violations: cx.violations });
  }
  const side = { depth: r.depthComplete, states: r.states, transitions: r.transitions, stopped: r.stopped, elapsedMs: r.elapsedMs };
  if (thrown === undefined) return { ...side, findings };
  return { ...side, error: `${thrown.action?.op ?? 'an op'} threw after ${thrown.trace.length} steps: ${thrown.message}`, findings, thrown };
}
