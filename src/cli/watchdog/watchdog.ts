/**
 * The per-step watchdog and worker pool: chunks of runs (src/schedule/scheduler.ts) run in worker
 * threads whose runner publishes each step into shared memory (src/runner/stepProbe.ts); this thread
 * polls each worker's probe, and when one step has not advanced for the stall limit it terminates that
 * worker and answers a stall naming the op — so an op that loops forever ends its campaign instead of
 * hanging the command, and Ctrl-C stays answered because this thread is never the one stuck.
 *
 * `workers` threads serve a command's chunks (module loading is paid once per thread); a stalled one
 * is replaced for the next chunk. Results are the same as in-process and the same for any number of
 * workers: each chunk is deterministic from its inputs, and the scheduler assembles them in order.
 */
import { Worker } from 'node:worker_threads';
import type { Invariant } from '../../../invariants/types.ts';
import type { CampaignOptions, CampaignResult, ChunkSpec } from '../../fuzz/campaign.ts';
import type { Design } from '../../model/core/design.ts';
import type { Scope } from '../../model/core/scope.ts';
import { PROBE, PROBE_CELLS } from '../../runner/stepProbe.ts';
import type { CampaignJob, ChunkExecutor, ChunkOutcome } from '../../schedule/scheduler.ts';
import { runOneCampaign } from '../../schedule/scheduler.ts';
import type { ChunkRequest, DesignRef, WorkerData, WorkerMessage } from './protocol.ts';
import { readStall, stalledResult } from './stall.ts';

/** The default stall limit, in seconds: far above any step the built-in designs take (microseconds). */
export const DEFAULT_STEP_TIMEOUT_SECONDS = 10;

/** How often the probe is read, at most: often enough to stop soon after the limit, rarely enough to cost nothing. */
const MAX_POLL_MS = 250;

/**
 * The worker's entry. Run from the TypeScript sources (a checkout, under tsx or vitest), the worker must
 * register tsx itself first (workerEntry.mjs), since a worker does not inherit its parent's loader hooks;
 * run from the installed package's compiled dist/, the compiled campaign worker is plain JS and loads
 * directly (design files still load through tsx's tsImport, which needs no registration).
 */
const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./workerEntry.mjs', import.meta.url)
  : new URL('./campaignWorker.js', import.meta.url);

/** One worker thread and its probe. */
interface Slot {
  worker?: Worker;
  cells: Int32Array;
  names: Map<number, string>;
  busy: boolean;
  /** Milliseconds this slot has spent running chunks (for the bench's balance figure). */
  busyMs: number;
}

function freshCells(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(PROBE_CELLS * Int32Array.BYTES_PER_ELEMENT));
}

/** Runs chunks in watched worker threads. `close()` it when done: a live worker keeps the process running. */
export class CampaignWatchdog {
  private readonly slots: Slot[];
  private readonly stallMs: number;

  /** `stepTimeoutSeconds`: how long one step may go without returning; `workers`: threads (at least 1). */
  constructor(
    private readonly stepTimeoutSeconds: number,
    workers = 1,
  ) {
    this.stallMs = stepTimeoutSeconds * 1000;
    this.slots = Array.from({ length: Math.max(1, workers) }, () => ({ cells: freshCells(), names: new Map(), busy: false, busyMs: 0 }));
  }

  /** Number of worker threads. */
  get size(): number {
    return this.slots.length;
  }

  /** Milliseconds each worker has spent running chunks so far. */
  get busyMs(): number[] {
    return this.slots.map((s) => s.busyMs);
  }

  private start(slot: Slot): Worker {
    slot.cells = freshCells();
    slot.names = new Map();
    const data: WorkerData = { cells: slot.cells.buffer as SharedArrayBuffer };
    return new Worker(WORKER_ENTRY, { workerData: data, stdout: false, stderr: false });
  }

  /** The scheduler's view of this pool; `refOf` names each design so a worker can build it again. */
  executor(refOf: (design: Design) => DesignRef): ChunkExecutor {
    return { slots: this.slots.length, run: (job, invariants, scope, chunk) => this.runChunk(refOf(job.design), job, invariants, scope, chunk) };
  }

  /** Run one chunk on a free worker. The scheduler never asks for more chunks at once than there are workers. */
  private runChunk(ref: DesignRef, job: CampaignJob, invariants: readonly Invariant[], scope: Scope, chunk: ChunkSpec): Promise<ChunkOutcome> {
    const slot = this.slots.find((s) => !s.busy);
    if (slot === undefined) return Promise.reject(new Error('watchdog: more chunks asked for than there are workers'));
    slot.busy = true;
    const began = Date.now();
    const worker = (slot.worker ??= this.start(slot));
    const { cells, names } = slot;
    return new Promise<ChunkOutcome>((resolve, reject) => {
      let lastBeat = Atomics.load(cells, PROBE.heartbeat);
      let lastChange = Date.now();
      let running = false;
      const finish = (): void => {
        clearInterval(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        slot.busy = false;
        slot.busyMs += Date.now() - began;
      };
      const onMessage = (m: WorkerMessage): void => {
        if (m.kind === 'name') names.set(m.id, m.name);
        else if (m.kind === 'started') {
          running = true;
          lastChange = Date.now();
        } else if (m.kind === 'done') {
          finish();
          resolve({ kind: 'done', result: m.result });
        } else {
          finish();
          reject(new Error(`the campaign worker could not run ${job.design.id}: ${m.message}`));
        }
      };
      const onError = (e: Error): void => {
        slot.worker = undefined;
        finish();
        reject(e);
      };
      const onExit = (code: number): void => {
        slot.worker = undefined;
        finish();
        reject(new Error(`the campaign worker exited (code ${code}) during ${job.design.id}`));
      };
      const poll = (): void => {
        if (!running) return;
        const beat = Atomics.load(cells, PROBE.heartbeat);
        const now = Date.now();
        if (beat !== lastBeat) {
          lastBeat = beat;
          lastChange = now;
          return;
        }
        if (now - lastChange < this.stallMs) return;
        const stall = readStall(cells, names);
        slot.worker = undefined;
        clearInterval(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        // The slot is free again only once the stuck thread is gone.
        void worker.terminate().then(() => {
          slot.busy = false;
          resolve({ kind: 'stalled', result: (base, ids, elapsedMs) => stalledResult(base, ids, stall, this.stepTimeoutSeconds, elapsedMs) });
        });
      };
      const timer = setInterval(poll, Math.max(1, Math.min(MAX_POLL_MS, this.stallMs / 4)));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const req: ChunkRequest = { kind: 'chunk', design: ref, scope, knobs: job.knobs, invariants: invariants.map((i) => i.id), chunk };
      worker.postMessage(req);
    });
  }

  /**
   * Run one campaign of `design` (found again in the workers through `ref`) with `opts`, its chunks
   * spread over the workers. Its invariants must be registered ones: they travel by id. A time budget
   * is this campaign's own deadline.
   */
  run(ref: DesignRef, design: Design, opts: CampaignOptions): Promise<CampaignResult> {
    return runOneCampaign(this.executor(() => ref), design, opts);
  }

  /** Stop the workers (idempotent). */
  async close(): Promise<void> {
    const live = this.slots.flatMap((s) => (s.worker === undefined ? [] : [s.worker]));
    for (const s of this.slots) s.worker = undefined;
    await Promise.all(live.map((w) => w.terminate()));
  }
}
