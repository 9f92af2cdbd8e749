/**
 * Fault-injection campaigns: generated traces run with fallible points failing, every invariant the
 * design is expected to hold checked after every step (so after every partial failure).
 *  - `nth` (iommufd's `fail_nth` loop): each trace runs once without faults to count the fallible
 *    points it reaches, then once per n = 1, 2, … with the n-th point failing, until a run no longer
 *    reaches its n-th point. Every error path a trace can reach is taken exactly once.
 *  - `random`: each trace runs once with every point failing with probability `rate`, seeded.
 * A violation is shrunk on its explicit trace (faults kept on their steps) and reported with the trace,
 * which names the injected failure, so it replays without the seed.
 */
import fc from 'fast-check';
import type { Invariant } from '../../invariants/types.ts';
import type { Design } from '../model/core/design.ts';
import { expectationFor, knobDefaults } from '../model/core/design.ts';
import type { FalliblePoint } from '../model/core/faults.ts';
import type { Action, KnobValues } from '../model/core/op.ts';
import type { Scope } from '../model/core/scope.ts';
import { DEFAULT_SCOPE } from '../model/core/scope.ts';
import type { Checker } from '../runner/checker.ts';
import { makeChecker } from '../runner/checker.ts';
import type { FaultPlan } from '../runner/faultInjection.ts';
import { failNth, randomFaults, recordedFaults } from '../runner/faultInjection.ts';
import type { Outcome, Step, Violation } from '../runner/outcome.ts';
import type { RawAction } from '../runner/run.ts';
import { runGenerated, runResolved } from '../runner/run.ts';
import { actionsArbitrary } from './arbitraries.ts';
import { invariantsOf } from './fuzzDesign.ts';

/** How fallible points are chosen to fail. */
export type FaultMode = { kind: 'nth' } | { kind: 'random'; rate: number };

/** Options of a fault-injection campaign; every field but the design has a default. */
export interface FaultCampaignOptions {
  /** Seed of the generated traces (and of random faults); default 1. */
  seed?: number;
  /** Generated traces (default 100). */
  runs?: number;
  mode?: FaultMode;
  knobs?: KnobValues;
  scope?: Partial<Scope>;
  /** Invariant ids to check (default: those the design names and expects to hold under its knobs). */
  invariants?: readonly string[];
}

/** A violation (or harness error) found under fault injection, shrunk. */
export interface FaultFinding {
  /** The invariant broken (undefined for a harness error). */
  invariant?: string;
  /** The shrunk explicit trace; its steps name the injected failures. */
  trace: Step[];
  /** Index in `trace` of the violating step. */
  step: number;
  violations: Violation[];
  /** Error message, for a harness error. */
  message?: string;
  /** Which generated trace (0-based) and, for `nth`, which n found it. */
  run: number;
  nth?: number;
}

/** What a fault-injection campaign did and found. */
export interface FaultCampaignResult {
  design: string;
  knobs: KnobValues;
  mode: FaultMode;
  seed: number;
  runs: number;
  /** Runs executed, fault-free baselines included. */
  executions: number;
  steps: number;
  /** Fallible points reached in fault-free baselines, by kind (`nth`: each is failed once). */
  reached: Partial<Record<FalliblePoint, number>>;
  /** Failures injected, by kind. */
  injected: Partial<Record<FalliblePoint, number>>;
  /** The invariants checked. */
  invariants: string[];
  /** The first finding per invariant (and the first harness error), shrunk. */
  findings: FaultFinding[];
}

/** Invariants a design is expected to hold under `knobs`: the only ones a fault may not break. */
export function soundInvariants(design: Design, knobs: KnobValues): string[] {
  return design.invariants.filter((id) => expectationFor(design, knobs, id).verdict === 'holds');
}

/** The faults a run's trace records, as input for `recordedFaults`. */
function explicitSteps(o: Outcome): { action: Action; fault?: Step['fault'] }[] {
  return o.trace.map((s) => (s.fault ? { action: s.action, fault: s.fault } : { action: s.action }));
}

/** Whether `o` breaks `invariant` (an error when `invariant` is undefined). */
function breaks(o: Outcome, invariant: string | undefined): boolean {
  if (invariant === undefined) return o.kind === 'error';
  return o.kind === 'violation' && o.violations.some((v) => v.invariant === invariant);
}

/** Run explicit steps with the faults they name. */
function runSteps(checker: Checker, steps: readonly { action: Action; fault?: Step['fault'] }[]): Outcome {
  return runResolved(checker, steps.map((s) => s.action), { faults: recordedFaults(steps) }).outcome;
}

/** Drop steps (and faults) while the same failure persists: 1-minimal, like minimize.ts, faults kept on their steps. */
export function shrinkWithFaults(checker: Checker, outcome: Outcome, invariant: string | undefined): Outcome {
  let best = outcome;
  let steps = explicitSteps(outcome);
  for (let i = steps.length - 1; i >= 0; i--) {
    const candidates = [[...steps.slice(0, i), ...steps.slice(i + 1)]];
    // A step that failed may matter only as the failure: try it once without its fault too.
    if (steps[i].fault !== undefined) candidates.push([...steps.slice(0, i), { action: steps[i].action }, ...steps.slice(i + 1)]);
    for (const candidate of candidates) {
      const o = runSteps(checker, candidate);
      if (!breaks(o, invariant)) continue;
      best = o;
      steps = explicitSteps(o);
      i = Math.min(i + 1, steps.length);
      break;
    }
  }
  return best;
}

/** The findings of one failed run: one per invariant broken (or the error), shrunk. */
function findingsOf(checker: Checker, o: Outcome, run: number, nth: number | undefined, known: Set<string>): FaultFinding[] {
  const out: FaultFinding[] = [];
  const keys = o.kind === 'error' ? [undefined] : o.kind === 'violation' ? o.violations.map((v) => v.invariant) : [];
  for (const invariant of keys) {
    const key = invariant ?? '(error)';
    if (known.has(key)) continue;
    known.add(key);
    const s = shrinkWithFaults(checker, o, invariant);
    // The shrunk trace often breaks several invariants at once (a leak is also a refusal that changed
    // something): one finding names them all.
    if (s.kind === 'violation') for (const v of s.violations) known.add(v.invariant);
    const finding: FaultFinding = { trace: s.trace, step: s.kind === 'ok' ? -1 : s.step, violations: s.kind === 'violation' ? s.violations : [], run };
    if (invariant !== undefined) finding.invariant = invariant;
    if (s.kind === 'error') finding.message = s.message;
    if (nth !== undefined) finding.nth = nth;
    out.push(finding);
  }
  return out;
}

/**
 * The sweep's own check, beside the invariants: a step whose fallible point failed must answer that
 * point's errno. An op that carries on as if the allocation had succeeded keeps the books straight and
 * would pass every invariant, yet is wrong: it used a page it never got.
 */
export const FAILED_POINT_ANSWERS = 'failed-point-answers-its-errno';

/**
 * Ops that absorb a failure by design: each is a guest's trapped MMIO write (a GGTT entry, a PPGTT
 * root through PVINFO, a page-table entry) that the device model emulates; when it cannot obtain a DMA
 * address for an entry it shadows the scratch page instead, and the guest's write still completes.
 */
export const ABSORBING_OPS: ReadonlySet<string> = new Set(['ggttWrite', 'ppgttCreate', 'guestWritePte']);

/**
 * Batched ops that, like Xen's memory ops, report how many entries they did: a failure after the first
 * entry stops the batch and answers that count (core/ops/dmaBatchOps.ts), which is the failure reported.
 */
export const COUNTING_OPS: ReadonlySet<string> = new Set(['shadowSetBatch']);

/** Whether a step answered its injected failure: its errno, or a batch's short count. */
function answered(s: Step): boolean {
  if (s.fault === undefined || ABSORBING_OPS.has(s.action.op)) return true;
  if (!s.result.ok) return s.result.err === s.fault.err;
  const asked = (s.action as { gfns?: unknown }).gfns;
  return COUNTING_OPS.has(s.action.op) && Array.isArray(asked) && typeof s.result.value === 'number' && s.result.value < asked.length;
}

/** The first step of a run that ignored its injected failure, as a finding. */
function ignoredFault(o: Outcome, run: number, nth: number | undefined): FaultFinding | undefined {
  const i = o.trace.findIndex((s) => !answered(s));
  if (i < 0) return undefined;
  const trace = o.trace.slice(0, i + 1);
  const s = trace[i];
  const reason = 'failed-point-ignored';
  const finding: FaultFinding = { invariant: FAILED_POINT_ANSWERS, trace, step: i, violations: [{ invariant: FAILED_POINT_ANSWERS, witnesses: [{ reason }] }], run };
  if (nth !== undefined) finding.nth = nth;
  return finding;
}

/** Add each injected failure of a trace to the counts. */
function countInjected(o: Outcome, into: Partial<Record<FalliblePoint, number>>): void {
  for (const s of o.trace) if (s.fault) into[s.fault.point] = (into[s.fault.point] ?? 0) + 1;
}

/** A plan that fails nothing but counts the points reached, by kind. */
function counting(into: Partial<Record<FalliblePoint, number>>): FaultPlan {
  return {
    forStep: () => ({
      reach(point) {
        into[point] = (into[point] ?? 0) + 1;
        return undefined;
      },
      injected: () => undefined,
    }),
  };
}

/** Run a fault-injection campaign on one design; deterministic in its options. */
export function runFaultCampaign(design: Design, opts: FaultCampaignOptions = {}): FaultCampaignResult {
  const seed = opts.seed ?? 1;
  const runs = opts.runs ?? 100;
  const mode = opts.mode ?? { kind: 'nth' };
  const knobs = { ...knobDefaults(design), ...opts.knobs };
  const scope = { ...DEFAULT_SCOPE, ...opts.scope };
  const ids = opts.invariants ?? soundInvariants(design, knobs);
  const invariants: Invariant[] = invariantsOf(design, ids);
  const checker = makeChecker(design, knobs, scope, invariants);
  const traces: RawAction[][] = fc.sample(actionsArbitrary(checker.opList, scope), { seed, numRuns: runs });
  const result: FaultCampaignResult = {
    design: design.id,
    knobs,
    mode,
    seed,
    runs,
    executions: 0,
    steps: 0,
    reached: {},
    injected: {},
    invariants: invariants.map((i) => i.id),
    findings: [],
  };
  const known = new Set<string>();
  const record = (o: Outcome, run: number, nth?: number): void => {
    result.executions += 1;
    result.steps += o.trace.length;
    countInjected(o, result.injected);
    if (!known.has(FAILED_POINT_ANSWERS)) {
      const ignored = ignoredFault(o, run, nth);
      if (ignored !== undefined) {
        known.add(FAILED_POINT_ANSWERS);
        result.findings.push(ignored);
      }
    }
    if (o.kind !== 'ok') result.findings.push(...findingsOf(checker, o, run, nth, known));
  };
  traces.forEach((actions, run) => {
    if (mode.kind === 'random') {
      record(runGenerated(checker, actions, { faults: randomFaults((seed * 0x10001 + run) >>> 0, mode.rate) }), run);
      return;
    }
    record(runGenerated(checker, actions, { faults: counting(result.reached) }), run);
    for (let n = 1; ; n++) {
      const plan = failNth(n);
      const o = runGenerated(checker, actions, { faults: plan });
      if (!plan.fired()) break;
      record(o, run, n);
    }
  });
  return result;
}
