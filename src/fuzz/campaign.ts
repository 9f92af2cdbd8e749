/**
 * A campaign: fuzz one design (with knob values) against a set of invariants and give a verdict for
 * each. All invariants are first checked together on one shared computation of the derived relations
 * per step — the cheap path every sound design takes. If that run finds anything, each invariant gets
 * its own campaign from the same seed, so each broken one is shrunk towards its own minimal trace
 * rather than towards whichever other invariant happens to break first.
 *
 * The campaign is written as a generator that yields between chunks of runs, so the same code serves
 * a synchronous driver (`runCampaign`: tests, benchmark) and an asynchronous one (`runCampaignAsync`:
 * the CLI), which lets the event loop deliver Ctrl-C between chunks — a signal handler never runs
 * while synchronous code holds the thread.
 */
import fc from 'fast-check';
import type { Invariant } from '../../invariants/types.ts';
import type { Design } from '../model/core/design.ts';
import type { Scope } from '../model/core/scope.ts';
import type { KnobValues } from '../model/core/op.ts';
import type { Checker } from '../runner/checker.ts';
import { makeChecker } from '../runner/checker.ts';
import type { Outcome, Step, Violation } from '../runner/outcome.ts';
import type { RawAction } from '../runner/run.ts';
import { runGenerated } from '../runner/run.ts';
import type { Stats } from '../runner/stats.ts';
import { emptyStats, mergeStats } from '../runner/stats.ts';
import { actionsArbitrary } from './arbitraries.ts';
import { minimizeTrace } from './minimize.ts';

/** How much fuzzing: a run count, or a wall-clock budget spent in deterministic chunks of runs. */
export type Budget = { runs: number } | { seconds: number };

/** Campaign options. */
export interface CampaignOptions {
  seed: number;
  budget: Budget;
  scope: Scope;
  knobs: KnobValues;
  invariants: readonly Invariant[];
  /** Called after each chunk of runs (time budgets) or every few runs (run budgets), for progress lines. */
  onProgress?: (p: { runs: number; steps: number; elapsedMs: number; violations: number }) => void;
  /** Checked between chunks: stop early (Ctrl-C) and report what was found. */
  shouldStop?: () => boolean;
}

/** A shrunk counterexample: the explicit trace and where it breaks. */
export interface Counterexample {
  kind: 'violation' | 'error';
  trace: Step[];
  /** Index in `trace` of the violating (or throwing) step; -1 for the initial state. */
  step: number;
  violations: Violation[];
  message?: string;
  /** For an error: the action whose `apply` threw (it follows `trace`). */
  failingAction?: Step['action'];
  /** For an error: the op whose `resolve` or `enabled` threw, and its raw arguments. */
  during?: Extract<Outcome, { kind: 'error' }>['during'];
  /** For an error: the stack of what was thrown. */
  stack?: string;
  /** Hints only: the seed and fast-check path that produced it. Traces replay without them. */
  seed: number;
  path?: string;
  /** Actions in the first failing sequence before any shrinking, to report how much shrinking did. */
  originalLength: number;
}

/** The verdict for one invariant. */
export interface InvariantVerdict {
  invariant: string;
  verdict: 'holds' | 'violated' | 'error';
  runs: number;
  steps: number;
  counterexample?: Counterexample;
  /** Milliseconds until the first failing run was found (before shrinking). */
  msToFirstFailure?: number;
}

/** The result of a campaign on one design. */
export interface CampaignResult {
  design: Design;
  knobs: KnobValues;
  seed: number;
  verdicts: InvariantVerdict[];
  stats: Stats;
  elapsedMs: number;
  /** True when a time budget or Ctrl-C cut the campaign short. */
  interrupted: boolean;
  /** Set when the CLI's per-step watchdog stopped the campaign: why (its verdicts are then all errors). */
  stalled?: string;
}

/** What `search` found: a failure (with its shrunk trace) or none, and the work done. */
interface SearchResult {
  failure?: { outcome: Outcome; seed: number; path?: string; originalLength: number; msToFirst: number };
  runs: number;
  steps: number;
  stats: Stats;
  interrupted: boolean;
}

/** The predicate's view of an outcome: failing means a violation of a checked invariant, or an error. */
function failed(o: Outcome): boolean {
  return o.kind !== 'ok';
}

/** Runs for one fast-check call in a time-budgeted campaign. */
const CHUNK_RUNS = 50;

/** Runs between progress reports within a run-budget search. */
const RUN_PROGRESS_EVERY = 50;

/** A step-wise computation: yields between chunks of runs, returns its result. */
type Chunked<T> = Generator<void, T, void>;

/** Fuzz with fast-check until a failure or the budget runs out, yielding after each chunk of runs. */
function* search(checker: Checker, opts: CampaignOptions): Chunked<SearchResult> {
  const stats = emptyStats();
  const arb = actionsArbitrary(checker.opList, checker.scope);
  const started = Date.now();
  let runs = 0;
  let chunk = 0;
  let interrupted = false;
  for (;;) {
    const numRuns = 'runs' in opts.budget ? opts.budget.runs : CHUNK_RUNS;
    const seed = opts.seed + chunk;
    // Statistics count the fuzzing runs only, not fast-check's shrinking re-runs.
    let counting = true;
    let firstFailureAt = 0;
    let originalLength = 0;
    const property = fc.property(arb, (actions: RawAction[]) => {
      const o = runGenerated(checker, actions, counting ? { stats } : {});
      if (counting) stats.runs += 1;
      // A run budget is one fast-check call: report progress from inside it (it changes nothing fuzzed).
      if (counting && 'runs' in opts.budget && stats.runs % RUN_PROGRESS_EVERY === 0) opts.onProgress?.({ runs: stats.runs, steps: stats.steps, elapsedMs: Date.now() - started, violations: 0 });
      if (failed(o) && counting) {
        counting = false;
        firstFailureAt = Date.now();
        originalLength = o.trace.length;
      }
      return !failed(o);
    });
    const details = fc.check(property, { seed, numRuns });
    runs += details.numRuns;
    if (details.failed && details.counterexample !== null) {
      const [actions] = details.counterexample;
      const outcome = runGenerated(checker, actions);
      return {
        failure: {
          outcome,
          seed,
          path: details.counterexamplePath ?? undefined,
          originalLength,
          msToFirst: firstFailureAt - started,
        },
        runs,
        steps: stats.steps,
        stats,
        interrupted,
      };
    }
    chunk += 1;
    yield;
    if ('runs' in opts.budget) break;
    const elapsedMs = Date.now() - started;
    opts.onProgress?.({ runs, steps: stats.steps, elapsedMs, violations: 0 });
    if (opts.shouldStop?.()) {
      interrupted = true;
      break;
    }
    if (elapsedMs >= opts.budget.seconds * 1000) break;
  }
  return { runs, steps: stats.steps, stats, interrupted };
}

/** Turn a failing outcome into a minimised counterexample for `invariant` (undefined: an error). */
function counterexample(checker: Checker, found: NonNullable<SearchResult['failure']>, invariant: string | undefined): Counterexample {
  const o = minimizeTrace(checker, found.outcome, invariant);
  const base = { trace: o.trace, seed: found.seed, path: found.path, originalLength: found.originalLength };
  if (o.kind === 'error') return { ...base, kind: 'error', step: o.step, violations: [], message: o.message, failingAction: o.action, during: o.during, stack: o.stack };
  if (o.kind === 'violation') return { ...base, kind: 'violation', step: o.step, violations: o.violations };
  throw new Error('minimised counterexample no longer fails');
}

/** Verdict for one invariant from a search that checked it alone. */
function verdictFrom(checker: Checker, inv: Invariant, r: SearchResult): InvariantVerdict {
  if (r.failure === undefined) return { invariant: inv.id, verdict: 'holds', runs: r.runs, steps: r.steps };
  const isError = r.failure.outcome.kind === 'error';
  return {
    invariant: inv.id,
    verdict: isError ? 'error' : 'violated',
    runs: r.runs,
    steps: r.steps,
    counterexample: counterexample(checker, r.failure, isError ? undefined : inv.id),
    msToFirstFailure: r.failure.msToFirst,
  };
}

/** Verdict for one invariant checked alone, in its own search. */
function* verdictAlone(design: Design, inv: Invariant, opts: CampaignOptions, stats: Stats): Chunked<InvariantVerdict> {
  const checker = makeChecker(design, opts.knobs, opts.scope, [inv]);
  const r = yield* search(checker, opts);
  mergeStats(stats, r.stats);
  return verdictFrom(checker, inv, r);
}

/** The campaign on one design, chunk by chunk. */
function* campaign(design: Design, opts: CampaignOptions): Chunked<CampaignResult> {
  const started = Date.now();
  const stats = emptyStats();
  const joint = makeChecker(design, opts.knobs, opts.scope, opts.invariants);
  const first = yield* search(joint, opts);
  mergeStats(stats, first.stats);
  let verdicts: InvariantVerdict[];
  if (first.failure === undefined) {
    verdicts = opts.invariants.map((inv) => ({ invariant: inv.id, verdict: 'holds' as const, runs: first.runs, steps: first.steps }));
  } else if (opts.invariants.length === 1) {
    verdicts = [verdictFrom(joint, opts.invariants[0], first)];
  } else {
    verdicts = [];
    for (const inv of opts.invariants) verdicts.push(yield* verdictAlone(design, inv, opts, stats));
  }
  return {
    design,
    knobs: opts.knobs,
    seed: opts.seed,
    verdicts,
    stats,
    elapsedMs: Date.now() - started,
    // A stop request seen by any of the searches (time budgets consult it between chunks) cut this one short.
    interrupted: first.interrupted || ('seconds' in opts.budget && opts.shouldStop?.() === true),
  };
}

/** Run a campaign on one design. Deterministic for a run budget: same seed, same verdicts and traces. */
export function runCampaign(design: Design, opts: CampaignOptions): CampaignResult {
  const steps = campaign(design, opts);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Run a campaign, giving the event loop a turn between chunks of runs so signal handlers (Ctrl-C)
 * and timers run while it fuzzes. Same results as `runCampaign` for the same options.
 */
export async function runCampaignAsync(design: Design, opts: CampaignOptions): Promise<CampaignResult> {
  const steps = campaign(design, opts);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
