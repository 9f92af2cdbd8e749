/**
 * The breadth-first explorer behind `shadowcheck check`: from the design's world in a small scope,
 * apply every enabled action (enumerate.ts) to every state of the current depth, key each successor
 * canonically (canon.ts, hashed by hash.ts) and keep the new ones for the next depth. State
 * invariants are checked on every new state, transition invariants on every explored transition
 * (also those that lead back to a known state, and refused ones: a refusal that changed something
 * is a transition's fault, not a state's). The first violation of an invariant found is a shortest
 * one, since depth d is finished before depth d+1 starts.
 *
 * Written as a generator that yields every few thousand transitions, so the CLI can give the event
 * loop a turn (Ctrl-C, the progress line) and stop with what it has; `runCheck` drives it
 * synchronously for tests and the benchmark. Deterministic: same inputs, same states, same traces.
 */
import type { Invariant, TransitionInvariant, Witness } from '../../invariants/types.ts';
import type { Design } from '../model/core/design.ts';
import { cloneState } from '../model/core/clone.ts';
import { sameState } from '../model/core/equal.ts';
import { derive } from '../model/derived.ts';
import type { Action, KnobValues, OpContext, OpResult } from '../model/core/op.ts';
import type { Scope } from '../model/core/scope.ts';
import type { State } from '../model/core/state.ts';
import { makeChecker } from '../runner/checker.ts';
import type { Checker } from '../runner/checker.ts';
import type { Step, Violation } from '../runner/outcome.ts';
import { declaredSituations, unreachedSituations } from '../runner/stats.ts';
import type { Reduction } from './canon.ts';
import { stateKeyFor, symmetryApplies } from './canon.ts';
import { enabledActions, rawSpaces } from './enumerate.ts';
import { hash52 } from './hash.ts';
import type { CheckCounterexample, CheckResult, CheckVerdict, StopReason } from './types.ts';

/** Options of one check. */
export interface CheckOptions {
  knobs: KnobValues;
  scope: Scope;
  /** The scope's name, for the report ("core-small", or "custom"). */
  scopeName: string;
  invariants: readonly Invariant[];
  /** Longest trace explored. */
  depth: number;
  /** Stop (with a clear message) once this many distinct states are stored. */
  maxStates: number;
  reduction: Reduction;
  /** Pick indices enumerated (a pick wraps, so this covers live sets up to that size). */
  pickLimit: number;
  /** Stop at the first violation of any invariant instead of finding each one's shortest. */
  stopAtFirst?: boolean;
  /** Checked between chunks: stop early (Ctrl-C) and report what was found. */
  shouldStop?: () => boolean;
  /** Called between chunks with the counts so far. */
  onProgress?: (p: CheckProgress) => void;
}

/** Progress of a running check. */
export interface CheckProgress {
  depth: number;
  states: number;
  transitions: number;
  frontier: number;
  elapsedMs: number;
}

/** Transitions between yields to the event loop. */
const CHUNK_TRANSITIONS = 4000;

/** The transition invariants with something to say about `action` from `state` (as the runner picks them). */
function activeTransitions(checker: Checker, state: State, action: Action): TransitionInvariant[] | undefined {
  const watching = checker.transitions.get(action.op);
  if (watching === undefined && checker.everyStep.length === 0) return undefined;
  const all = watching === undefined ? checker.everyStep : [...checker.everyStep, ...watching];
  const active = all.filter((inv) => inv.when === undefined || inv.when(state, action));
  return active.length > 0 ? active : undefined;
}

/** The parent links of stored states: a state is its parent's state plus one step. */
class Tree {
  private parents: number[] = [];
  private steps: (Step | undefined)[] = [];
  add(parent: number, step: Step | undefined): number {
    this.parents.push(parent);
    this.steps.push(step);
    return this.parents.length - 1;
  }
  /** The steps from the initial state to node `n`. */
  path(n: number): Step[] {
    const out: Step[] = [];
    for (let at = n; at >= 0 && this.steps[at] !== undefined; at = this.parents[at]) out.push(this.steps[at]!);
    return out.reverse();
  }
}

/** A step-wise computation: yields between chunks, returns its result. */
export type Chunked<T> = Generator<void, T, void>;

/** Explore `design` breadth-first; see the file comment. */
export function* explore(design: Design, opts: CheckOptions): Chunked<CheckResult> {
  const started = Date.now();
  const cpuStarted = process.cpuUsage();
  const checker = makeChecker(design, opts.knobs, opts.scope, opts.invariants);
  const keyOf = stateKeyFor(opts.reduction, checker.world);
  const spaces = rawSpaces(checker.opList, opts.scope, opts.pickLimit);
  const situations: Record<string, number> = {};
  const warnings: string[] = [];
  const ctx: OpContext = {
    scope: opts.scope,
    knobs: opts.knobs,
    note: (s) => void (situations[s] = (situations[s] ?? 0) + 1),
    warn: (m) => void warnings.push(m),
    // The design's rule overrides, as the runner passes them (run.ts): without them a proposal that changes one rule is explored as its baseline.
    rules: design.rules,
  };
  const found = new Map<string, CheckCounterexample>();
  const ids = opts.invariants.map((i) => i.id);
  const tree = new Tree();
  const seen = new Set<number>();
  let peakRss = process.memoryUsage().rss;
  let transitions = 0;
  let sinceYield = 0;
  let stopped: StopReason | undefined;
  let depthComplete = 0;

  const record = (trace: Step[], step: number, violations: Violation[]): void => {
    for (const v of violations) {
      if (found.has(v.invariant)) continue;
      // Each invariant's counterexample names its own violation first, as fuzz's per-invariant shrinking does.
      const own = [v, ...violations.filter((o) => o !== v)];
      found.set(v.invariant, { kind: 'violation', trace, step, violations: own });
    }
  };
  const allFound = (): boolean => ids.every((id) => found.has(id));

  const world = cloneState(checker.world);
  const initial = checkState(checker, world);
  if (initial.length > 0) record([], -1, initial);
  seen.add(hash52(keyOf(world)));
  let frontier: { node: number; state: State }[] = [{ node: tree.add(-1, undefined), state: world }];
  let error: CheckCounterexample | undefined;

  outer: for (let depth = 0; depth < opts.depth; depth++) {
    const next: { node: number; state: State }[] = [];
    let newStates = 0;
    for (const { node, state } of frontier) {
      for (const { op, action } of enabledActions(state, checker.opList, spaces, opts.scope)) {
        const after = cloneState(state);
        warnings.length = 0;
        let result: OpResult;
        try {
          result = op.apply(after, action, ctx);
        } catch (e) {
          const err = e instanceof Error ? e : new Error(String(e));
          error = { kind: 'error', trace: tree.path(node), step: depth, violations: [], message: err.message, failingAction: action };
          stopped = 'all-violated';
          break outer;
        }
        after.clock += 1;
        transitions += 1;
        const step: Step = warnings.length > 0 ? { action, result, warnings: [...warnings] } : { action, result };
        // A refusal that changed nothing leads back to its own state: no key needed (the common case).
        const unchanged = !result.ok && sameState(state, after);
        const h = unchanged ? 0 : hash52(keyOf(after));
        const isNew = !unchanged && !seen.has(h);
        const active = activeTransitions(checker, state, action);
        if (isNew || active !== undefined) {
          const d = derive(after);
          const violations: Violation[] = isNew ? checkState(checker, after, d) : [];
          for (const inv of active ?? []) {
            const w: Witness[] = inv.check(state, action, result, d);
            if (w.length > 0) violations.push({ invariant: inv.id, witnesses: w });
          }
          if (violations.length > 0) record([...tree.path(node), step], depth, violations);
        }
        if (isNew) {
          seen.add(h);
          newStates += 1;
          const child = tree.add(node, step);
          if (depth + 1 < opts.depth) next.push({ node: child, state: after });
        }
        if (++sinceYield >= CHUNK_TRANSITIONS) {
          sinceYield = 0;
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
          opts.onProgress?.({ depth: depth + 1, states: seen.size, transitions, frontier: next.length, elapsedMs: Date.now() - started });
          yield;
          if (opts.shouldStop?.()) {
            stopped = 'interrupted';
            break outer;
          }
        }
        if ((opts.stopAtFirst === true && found.size > 0) || allFound()) {
          stopped = 'all-violated';
          break outer;
        }
        if (seen.size >= opts.maxStates) {
          stopped = 'max-states';
          break outer;
        }
      }
    }
    depthComplete = depth + 1;
    if (newStates === 0) {
      stopped = 'exhausted';
      break;
    }
    frontier = next;
  }
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const unreached = unreachedSituations(declaredSituations(design, opts.knobs), situations);
  const verdicts: CheckVerdict[] = ids.map((id) => {
    if (error !== undefined) return { invariant: id, verdict: 'error', counterexample: error };
    const cx = found.get(id);
    if (cx !== undefined) return { invariant: id, verdict: 'violated', counterexample: cx };
    return { invariant: id, verdict: unreached.length > 0 ? 'vacuous' : 'holds' };
  });
  return {
    design,
    knobs: opts.knobs,
    scope: opts.scope,
    scopeName: opts.scopeName,
    reduction: opts.reduction,
    symmetryApplied: opts.reduction === 'symmetry' && symmetryApplies(checker.world),
    depthBound: opts.depth,
    depthComplete,
    states: seen.size,
    transitions,
    elapsedMs: Date.now() - started,
    cpuMs: cpuMsSince(cpuStarted),
    peakRss,
    stopped: stopped ?? 'depth',
    maxStates: opts.maxStates,
    verdicts,
    situations,
    unreached,
  };
}

/** CPU milliseconds (user + system) this process spent since `from`: a rate on a shared machine. */
function cpuMsSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

/** The state invariants broken in `state`. */
function checkState(checker: Checker, state: State, d = derive(state)): Violation[] {
  const out: Violation[] = [];
  for (const inv of checker.stateInvariants) {
    const w = inv.check(d);
    if (w.length > 0) out.push({ invariant: inv.id, witnesses: w });
  }
  return out;
}

/** Run a check to the end, synchronously (tests, benchmark). */
export function runCheck(design: Design, opts: CheckOptions): CheckResult {
  const steps = explore(design, opts);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Run a check, giving the event loop a turn between chunks (Ctrl-C, progress). Same result as `runCheck`. */
export async function runCheckAsync(design: Design, opts: CheckOptions): Promise<CheckResult> {
  const steps = explore(design, opts);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
