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
import { declaredSituations, emptyStats, mergeStats, unreachedSituations } from '../runner/stats.ts';
import { actionsArbitrary } from './arbitraries.ts';
import { chunkSeed } from './chunkSeed.ts';
import { minimizeTrace } from './minimize.ts';

/** How much fuzzing: a run count (per search), or a wall-clock budget spent in deterministic chunks of runs. */
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
  /** Hints only: the chunk's fast-check seed and path that produced it. Traces replay without them. */
  seed: number;
  /** Which chunk of its search found it (0-based): `--runs (chunk + 1) × CHUNK_RUNS` from the campaign seed reproduces it. */
  chunk?: number;
  path?: string;
  /** Actions in the first failing sequence before any shrinking, to report how much shrinking did. */
  originalLength: number;
}

/**
 * The verdict for one invariant. `vacuous`: it held, but the
 * campaign never reached a situation its design declares a sound verdict must reach (`sometimes`).
 */
export interface InvariantVerdict {
  invariant: string;
  verdict: 'holds' | 'violated' | 'error' | 'vacuous';
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
  /** Declared situations the campaign never reached (its verdicts of "holds" are then `vacuous`). */
  unreached?: string[];
}

/** What `search` found: a failure (with its shrunk trace) or none, and the work done. */
interface SearchResult {
  failure?: ChunkFailure;
  runs: number;
  steps: number;
  stats: Stats;
  interrupted: boolean;
}

/** The predicate's view of an outcome: failing means a violation of a checked invariant, or an error. */
function failed(o: Outcome): boolean {
  return o.kind !== 'ok';
}

/**
 * Runs per chunk: one fast-check call. Every budget is spent in chunks — a run budget in
 * ⌈runs / CHUNK_RUNS⌉ of them, a time budget in as many as fit — so chunks can run on different
 * worker threads and a time budget or Ctrl-C can stop between them. A search's verdict is that of
 * its first failing chunk (in chunk order), or "holds" when none fails, however the chunks were run.
 */
export const CHUNK_RUNS = 50;

/** One chunk of a search: its index, its fast-check seed (chunkSeed.ts) and its run count. */
export interface ChunkSpec {
  index: number;
  seed: number;
  numRuns: number;
}

/** Chunk `index` of a search with campaign seed `seed` and `budget`; undefined past a run budget's last chunk. */
export function chunkSpec(seed: number, index: number, budget: Budget): ChunkSpec | undefined {
  const numRuns = 'runs' in budget ? Math.min(CHUNK_RUNS, budget.runs - index * CHUNK_RUNS) : CHUNK_RUNS;
  // `--runs 0` still has its chunk 0, of no runs: a search always settles, and its verdict (vacuous) is judged.
  if (numRuns <= 0 && index > 0) return undefined;
  return { index, seed: chunkSeed(seed, index), numRuns: Math.max(0, numRuns) };
}

/** A failing chunk: how the run failed, when, and — for a search of one invariant — its shrunk counterexample. */
export interface ChunkFailure {
  kind: 'violation' | 'error';
  /** Milliseconds from the start of the chunk (of the search, once `search` adds the chunks before it) to the failing run. */
  msToFirst: number;
  /** Absent for a joint search of several invariants: each then gets its own search, and its own trace. */
  counterexample?: Counterexample;
}

/** What one chunk did: plain data, so a worker thread can send it back. */
export interface ChunkResult {
  runs: number;
  steps: number;
  stats: Stats;
  failure?: ChunkFailure;
}

/**
 * A checker and its action generator. Built afresh for every chunk (it costs far less than 50 runs), so
 * a chunk's result depends on nothing but its inputs — not on which thread ran which chunks before it.
 */
export interface PreparedSearch {
  checker: Checker;
  arb: fc.Arbitrary<RawAction[]>;
}

/** Prepare the checker and generator of a search of `invariants` on `design`. */
export function prepareSearch(design: Design, knobs: KnobValues, scope: Scope, invariants: readonly Invariant[]): PreparedSearch {
  const checker = makeChecker(design, knobs, scope, invariants);
  return { checker, arb: actionsArbitrary(checker.opList, checker.scope) };
}

/** Run one chunk: a fast-check call of `chunk.numRuns` runs from `chunk.seed`, shrunk and minimised on failure. */
export function runChunk(p: PreparedSearch, chunk: ChunkSpec): ChunkResult {
  const stats = emptyStats();
  const started = Date.now();
  // Statistics count the fuzzing runs only, not fast-check's shrinking re-runs.
  let counting = true;
  let firstFailureAt = 0;
  let originalLength = 0;
  const property = fc.property(p.arb, (actions: RawAction[]) => {
    const o = runGenerated(p.checker, actions, counting ? { stats } : {});
    if (counting) stats.runs += 1;
    if (failed(o) && counting) {
      counting = false;
      firstFailureAt = Date.now();
      originalLength = o.trace.length;
    }
    return !failed(o);
  });
  const details = fc.check(property, { seed: chunk.seed, numRuns: chunk.numRuns });
  const done = { runs: details.numRuns, steps: stats.steps, stats };
  if (!details.failed || details.counterexample === null) return done;
  const [actions] = details.counterexample;
  const outcome = runGenerated(p.checker, actions);
  const kind = outcome.kind === 'error' ? 'error' : 'violation';
  const found = { outcome, seed: chunk.seed, chunk: chunk.index, path: details.counterexamplePath ?? undefined, originalLength };
  // Only a search of one invariant needs a trace; a joint search that fails hands each invariant its own search.
  const invariants = p.checker.invariants;
  const cx = invariants.length === 1 ? counterexample(p.checker, found, kind === 'error' ? undefined : invariants[0].id) : undefined;
  return { ...done, failure: { kind, msToFirst: firstFailureAt - started, counterexample: cx } };
}

/** A step-wise computation: yields between chunks of runs, returns its result. */
type Chunked<T> = Generator<void, T, void>;

/** Fuzz with fast-check, chunk after chunk, until a failure or the budget runs out, yielding after each chunk. */
function* search(design: Design, invariants: readonly Invariant[], opts: CampaignOptions): Chunked<SearchResult> {
  const stats = emptyStats();
  const started = Date.now();
  let runs = 0;
  let interrupted = false;
  for (let index = 0; ; index++) {
    const chunk = chunkSpec(opts.seed, index, opts.budget);
    if (chunk === undefined) break;
    const offset = Date.now() - started;
    const r = runChunk(prepareSearch(design, opts.knobs, opts.scope, invariants), chunk);
    runs += r.runs;
    mergeStats(stats, r.stats);
    if (r.failure !== undefined) return { failure: { ...r.failure, msToFirst: offset + r.failure.msToFirst }, runs, steps: stats.steps, stats, interrupted };
    const elapsedMs = Date.now() - started;
    opts.onProgress?.({ runs, steps: stats.steps, elapsedMs, violations: 0 });
    yield;
    if (opts.shouldStop?.()) {
      interrupted = true;
      break;
    }
    if ('seconds' in opts.budget && elapsedMs >= opts.budget.seconds * 1000) break;
  }
  return { runs, steps: stats.steps, stats, interrupted };
}

/** A failing run, shrunk by fast-check, before minimisation. */
interface Found {
  outcome: Outcome;
  seed: number;
  chunk: number;
  path?: string;
  originalLength: number;
}

/** Turn a failing outcome into a minimised counterexample for `invariant` (undefined: an error). */
function counterexample(checker: Checker, found: Found, invariant: string | undefined): Counterexample {
  const o = minimizeTrace(checker, found.outcome, invariant);
  const base = { trace: o.trace, seed: found.seed, chunk: found.chunk, path: found.path, originalLength: found.originalLength };
  if (o.kind === 'error') return { ...base, kind: 'error', step: o.step, violations: [], message: o.message, failingAction: o.action, during: o.during, stack: o.stack };
  if (o.kind === 'violation') return { ...base, kind: 'violation', step: o.step, violations: o.violations };
  throw new Error('minimised counterexample no longer fails');
}

/**
 * The verdict for one invariant from a search that checked it alone (or, when it holds, with others):
 * shared by this file's sequential campaign and the parallel scheduler (src/schedule/), so both say
 * exactly the same thing for the same chunks.
 */
export function verdictOf(invariant: string, r: { runs: number; steps: number; failure?: ChunkFailure }): InvariantVerdict {
  if (r.failure === undefined) return { invariant, verdict: 'holds', runs: r.runs, steps: r.steps };
  const cx = r.failure.counterexample;
  if (cx === undefined) throw new Error(`a failing search of ${invariant} alone came back without its counterexample`);
  return { invariant, verdict: r.failure.kind === 'error' ? 'error' : 'violated', runs: r.runs, steps: r.steps, counterexample: cx, msToFirstFailure: r.failure.msToFirst };
}

/** Verdict for one invariant checked alone, in its own search. */
function* verdictAlone(design: Design, inv: Invariant, opts: CampaignOptions, stats: Stats): Chunked<InvariantVerdict> {
  const r = yield* search(design, [inv], opts);
  mergeStats(stats, r.stats);
  return verdictOf(inv.id, r);
}

/**
 * A sound verdict must have reached what the design declares risky ("sometimes"): an invariant that
 * held while a declared situation was never reached is `vacuous` (`--runs 0` cannot pass). Judged
 * per verdict, whatever the other invariants of the campaign did, so a shard that checks only some
 * of a campaign's invariants (--shard) gives each the verdict the whole campaign gives it. Shared
 * with the parallel scheduler (src/schedule/).
 */
export function withVacuity(verdicts: InvariantVerdict[], unreached: readonly string[]): InvariantVerdict[] {
  if (unreached.length === 0) return verdicts;
  return verdicts.map((v) => (v.verdict === 'holds' ? { ...v, verdict: 'vacuous' as const } : v));
}

/** The campaign on one design, chunk by chunk. */
function* campaign(design: Design, opts: CampaignOptions): Chunked<CampaignResult> {
  const started = Date.now();
  const stats = emptyStats();
  const first = yield* search(design, opts.invariants, opts);
  mergeStats(stats, first.stats);
  let verdicts: InvariantVerdict[];
  if (first.failure === undefined) {
    verdicts = opts.invariants.map((inv) => ({ invariant: inv.id, verdict: 'holds' as const, runs: first.runs, steps: first.steps }));
  } else if (opts.invariants.length === 1) {
    verdicts = [verdictOf(opts.invariants[0].id, first)];
  } else {
    verdicts = [];
    for (const inv of opts.invariants) verdicts.push(yield* verdictAlone(design, inv, opts, stats));
  }
  const unreached = unreachedSituations(declaredSituations(design, opts.knobs), stats.situations);
  verdicts = withVacuity(verdicts, unreached);
  return {
    design,
    knobs: opts.knobs,
    seed: opts.seed,
    verdicts,
    stats,
    elapsedMs: Date.now() - started,
    // A stop request seen by any of the searches (consulted between chunks) cut this one short.
    interrupted: first.interrupted || opts.shouldStop?.() === true,
    ...(unreached.length > 0 ? { unreached } : {}),
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
