/**
 * The scheduler: runs a list of campaigns as chunks of runs on an executor with some number of slots
 * (worker threads, or one in-process slot), and assembles each campaign's result exactly as the
 * sequential campaign (src/fuzz/campaign.ts) would — same verdicts, traces, run and step counts and
 * statistics, whatever the number of slots and whatever order the chunks finished in.
 *
 * A campaign is a joint search of all its invariants; if that fails and it checks more than one, a
 * search per invariant (each shrinks towards its own trace). A search is a stream of chunks, each
 * deterministic from (campaign seed, chunk index): its verdict is its lowest-numbered failing chunk,
 * or "holds". Chunks past a known failure are not started; those already running are ignored.
 *
 * Budgets: `{ runs }` is per search, as in the sequential campaign. `{ seconds }` is one deadline for
 * the whole schedule: chunks go to whichever search has had the fewest, so every campaign — and every
 * per-invariant search a failure opens — gets about the same number of runs, and nothing is started
 * after the deadline except a search's first chunk (no verdict rests on zero runs).
 */
import type { Invariant } from '../../invariants/types.ts';
import type { Design } from '../model/core/design.ts';
import type { KnobValues } from '../model/core/op.ts';
import type { Scope } from '../model/core/scope.ts';
import type { Budget, CampaignOptions, CampaignResult, ChunkResult, ChunkSpec, InvariantVerdict } from '../fuzz/campaign.ts';
import { chunkSpec, verdictOf, withVacuity } from '../fuzz/campaign.ts';
import type { Stats } from '../runner/stats.ts';
import { declaredSituations, emptyStats, mergeStats, unreachedSituations } from '../runner/stats.ts';

/** One campaign of the work list: a design with knob values, and the invariants checked on it. */
export interface CampaignJob {
  design: Design;
  knobs: KnobValues;
  invariants: readonly Invariant[];
}

/** What running a chunk gave: its result, or a stall (an op that never returned) that ends its campaign. */
export type ChunkOutcome =
  | { kind: 'done'; result: ChunkResult }
  | {
      kind: 'stalled';
      /** The campaign's result, every verdict an error naming the stuck op (cli/watchdog/stall.ts). */
      result: (base: Pick<CampaignResult, 'design' | 'knobs' | 'seed'>, invariants: readonly string[], elapsedMs: number) => CampaignResult;
    };

/** Where chunks run. */
export interface ChunkExecutor {
  /** How many chunks may run at once. */
  readonly slots: number;
  /** Run one chunk of a search of `invariants` on the job's design. */
  run(job: CampaignJob, invariants: readonly Invariant[], scope: Scope, chunk: ChunkSpec): Promise<ChunkOutcome>;
}

/** Progress of one campaign, after each of its chunks. */
export interface JobProgress {
  runs: number;
  steps: number;
  elapsedMs: number;
  violations: number;
}

/** Schedule options. */
export interface ScheduleOptions {
  seed: number;
  /** Runs per search, or seconds for the whole schedule. */
  budget: Budget;
  scope: Scope;
  /** Checked before every chunk: stop starting campaigns; a started one ends after its searches' running chunks. */
  shouldStop?: () => boolean;
  /** Even after a stop request, start every job (its searches get one chunk each): for callers that need a result per job. */
  runEveryJob?: boolean;
  /** A campaign's first chunk starts. */
  onStart?: (job: number) => void;
  onProgress?: (job: number, p: JobProgress) => void;
  /** A campaign is done; called in work-list order (so saving, and any output built from it, is deterministic). */
  onCampaign?: (job: number, r: CampaignResult) => void;
  /** The clock (tests drive the deadline with their own); default `Date.now`. */
  now?: () => number;
}

/** One search: a stream of chunks. */
interface Stream {
  invariants: readonly Invariant[];
  dispatched: number;
  inFlight: number;
  results: (ChunkResult | undefined)[];
  /** When each chunk started, in ms after the search's first chunk. */
  offsets: number[];
  startedAt: number;
  failedAt: number;
  /** A stop request, not the budget, ended it. */
  cut: boolean;
  settled: boolean;
}

/** One campaign's state. */
interface JobState {
  job: CampaignJob;
  joint: Stream;
  alone?: Stream[];
  startedAt?: number;
  result?: CampaignResult;
}

function newStream(invariants: readonly Invariant[]): Stream {
  return { invariants, dispatched: 0, inFlight: 0, results: [], offsets: [], startedAt: 0, failedAt: Infinity, cut: false, settled: false };
}

/** A settled search, summed over its chunks up to its first failure, in chunk order. */
function summary(s: Stream): { runs: number; steps: number; stats: Stats; failure?: ChunkResult['failure'] } {
  const stats = emptyStats();
  let runs = 0;
  const last = Number.isFinite(s.failedAt) ? s.failedAt : s.dispatched - 1;
  for (let i = 0; i <= last; i++) {
    const r = s.results[i]!;
    runs += r.runs;
    mergeStats(stats, r.stats);
  }
  if (!Number.isFinite(s.failedAt)) return { runs, steps: stats.steps, stats };
  const f = s.results[s.failedAt]!.failure!;
  return { runs, steps: stats.steps, stats, failure: { ...f, msToFirst: s.offsets[s.failedAt] + f.msToFirst } };
}

/** Chunks 0..last of `s` have all come back (a sparse array's holes are checked one by one). */
function chunksDone(s: Stream, last: number): boolean {
  for (let i = 0; i <= last; i++) if (s.results[i] === undefined) return false;
  return true;
}

/**
 * Run `jobs` on `executor`. Returns one result per job in work-list order; `undefined` for a job a stop
 * request kept from starting.
 */
export function runSchedule(jobs: readonly CampaignJob[], opts: ScheduleOptions, executor: ChunkExecutor): Promise<(CampaignResult | undefined)[]> {
  const states: JobState[] = jobs.map((job) => ({ job, joint: newStream(job.invariants) }));
  const clock = opts.now ?? Date.now;
  const started = clock();
  const deadline = 'seconds' in opts.budget ? started + opts.budget.seconds * 1000 : Infinity;
  let running = 0;
  let flushed = 0;
  let stopped = false;
  const stop = (): boolean => (stopped ||= opts.shouldStop?.() === true);

  /** 'yes', 'no' (the search is done), or 'stop' (a stop request is all that ends it). */
  const mayDispatch = (st: JobState, s: Stream): 'yes' | 'no' | 'stop' => {
    if (st.result !== undefined || s.settled) return 'no';
    const index = s.dispatched;
    if (index >= s.failedAt) return 'no';
    if (chunkSpec(opts.seed, index, opts.budget) === undefined) return 'no';
    // Every search gets one chunk: no verdict rests on zero runs.
    if (index === 0 && (st.startedAt !== undefined || opts.runEveryJob === true || !stop())) return 'yes';
    if (stop()) return 'stop';
    return clock() < deadline ? 'yes' : 'no';
  };

  const streamsOf = (st: JobState): Stream[] => st.alone ?? [st.joint];

  return new Promise((resolve, reject) => {
    let failed = false;

    /** Settle what can be settled: searches, then campaigns; flush finished campaigns in order. */
    const settle = (): void => {
      for (const st of states) {
        if (st.result !== undefined) continue;
        for (const s of streamsOf(st)) {
          if (s.settled) continue;
          if (Number.isFinite(s.failedAt)) {
            if (chunksDone(s, s.failedAt)) s.settled = true;
          } else if (s.inFlight === 0) {
            const may = mayDispatch(st, s);
            // A search with no chunk at all is done only when its budget has none (`--runs 0`), not when a stop kept it from starting.
            if (may === 'no' || (may === 'stop' && s.dispatched > 0)) {
              s.settled = true;
              s.cut = may === 'stop';
            }
          }
        }
        if (st.alone === undefined && st.joint.settled) {
          const j = summary(st.joint);
          if (j.failure !== undefined && st.job.invariants.length > 1) {
            st.alone = st.job.invariants.map((inv) => newStream([inv]));
            continue;
          }
          const verdicts: InvariantVerdict[] = j.failure === undefined ? st.job.invariants.map((inv) => verdictOf(inv.id, j)) : [verdictOf(st.job.invariants[0].id, j)];
          st.result = finish(st, verdicts, j.stats, st.joint.cut);
        } else if (st.alone !== undefined && st.alone.every((s) => s.settled)) {
          const stats = emptyStats();
          mergeStats(stats, summary(st.joint).stats);
          const verdicts = st.alone.map((s, i) => {
            const r = summary(s);
            mergeStats(stats, r.stats);
            return verdictOf(st.job.invariants[i].id, r);
          });
          st.result = finish(st, verdicts, stats, st.joint.cut || st.alone.some((s) => s.cut));
        }
      }
      while (flushed < states.length) {
        const st = states[flushed];
        const notRun = st.startedAt === undefined && opts.runEveryJob !== true && stop();
        if (st.result === undefined && !notRun) break;
        if (st.result !== undefined) opts.onCampaign?.(flushed, st.result);
        flushed += 1;
      }
    };

    const finish = (st: JobState, verdicts: InvariantVerdict[], stats: Stats, cut: boolean): CampaignResult => {
      const unreached = unreachedSituations(declaredSituations(st.job.design, st.job.knobs), stats.situations);
      return {
        design: st.job.design,
        knobs: st.job.knobs,
        seed: opts.seed,
        verdicts: withVacuity(verdicts, unreached),
        stats,
        elapsedMs: clock() - (st.startedAt ?? started),
        interrupted: cut,
        ...(unreached.length > 0 ? { unreached } : {}),
      };
    };

    /**
     * The next search to give a chunk. Run budgets: in work-list order, a search with no chunk running
     * first (a chunk started ahead in a search that then fails early is wasted work). A deadline: the
     * least-served search, so campaigns share the time evenly.
     */
    const pick = (): [JobState, Stream] | undefined => {
      let best: [JobState, Stream] | undefined;
      let ahead: [JobState, Stream] | undefined;
      for (const st of states) {
        for (const s of streamsOf(st)) {
          if (mayDispatch(st, s) !== 'yes') continue;
          if (deadline === Infinity) {
            if (s.inFlight === 0) return [st, s];
            ahead ??= [st, s];
          } else if (best === undefined || s.dispatched < best[1].dispatched) best = [st, s];
        }
      }
      return best ?? ahead;
    };

    const dispatch = (st: JobState, s: Stream): void => {
      const index = s.dispatched++;
      const chunk = chunkSpec(opts.seed, index, opts.budget)!;
      const now = clock();
      if (st.startedAt === undefined) {
        st.startedAt = now;
        opts.onStart?.(states.indexOf(st));
      }
      if (index === 0) s.startedAt = now;
      s.offsets[index] = now - s.startedAt;
      s.inFlight += 1;
      running += 1;
      executor.run(st.job, s.invariants, opts.scope, chunk).then(
        (outcome) => {
          s.inFlight -= 1;
          running -= 1;
          // A chunk past its search's settled failure is one the sequential campaign never ran: ignore what it did.
          const moot = s.settled && index > s.failedAt;
          if (st.result === undefined && !moot) {
            if (outcome.kind === 'stalled') {
              st.result = outcome.result({ design: st.job.design, knobs: st.job.knobs, seed: opts.seed }, st.job.invariants.map((i) => i.id), clock() - st.startedAt!);
            } else {
              s.results[index] = outcome.result;
              if (outcome.result.failure !== undefined) s.failedAt = Math.min(s.failedAt, index);
              if (opts.onProgress !== undefined) opts.onProgress(states.indexOf(st), progressOf(st));
            }
          }
          pump();
        },
        (e: unknown) => {
          running -= 1;
          if (!failed) {
            failed = true;
            reject(e);
          }
        },
      );
    };

    const progressOf = (st: JobState): JobProgress => {
      let runs = 0;
      let steps = 0;
      for (const s of [st.joint, ...(st.alone ?? [])]) for (const r of s.results) if (r !== undefined) ((runs += r.runs), (steps += r.steps));
      return { runs, steps, elapsedMs: clock() - (st.startedAt ?? started), violations: 0 };
    };

    const pump = (): void => {
      if (failed) return;
      try {
        for (;;) {
          settle();
          let more = false;
          while (running < executor.slots) {
            const next = pick();
            if (next === undefined) break;
            dispatch(...next);
            more = true;
          }
          if (!more) break;
        }
        if (running === 0) {
          settle();
          if (flushed === states.length) resolve(states.map((st) => st.result));
          else throw new Error('scheduler: nothing running, yet campaigns unfinished');
        }
      } catch (e) {
        failed = true;
        reject(e);
      }
    };
    pump();
  });
}

/**
 * One campaign through the scheduler, as `runCampaignAsync` would run it but with its chunks spread
 * over the executor's slots; a time budget is this campaign's own deadline. It always starts (a stop
 * request still gives each of its searches one chunk), so it always has a result.
 */
export async function runOneCampaign(executor: ChunkExecutor, design: Design, opts: CampaignOptions): Promise<CampaignResult> {
  const job: CampaignJob = { design, knobs: opts.knobs, invariants: opts.invariants };
  const onProgress = opts.onProgress;
  const [r] = await runSchedule(
    [job],
    { seed: opts.seed, budget: opts.budget, scope: opts.scope, shouldStop: opts.shouldStop, runEveryJob: true, onProgress: onProgress && ((_, p) => onProgress(p)) },
    executor,
  );
  return r!;
}
