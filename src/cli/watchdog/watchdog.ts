/**
 * The per-step watchdog: campaigns run in a worker thread whose runner publishes each step into
 * shared memory (src/runner/stepProbe.ts); this thread polls it, and when one step has not advanced
 * for the stall limit it terminates the worker and answers an `error` result naming the op — so an
 * op that loops forever ends the campaign instead of hanging the command, and Ctrl-C stays
 * answered because this thread is never the one stuck.
 *
 * One worker serves a command's campaigns in turn (module loading is paid once); a stalled one is
 * replaced for the next campaign. Results are the same as in-process: same seeds, same traces.
 */
import { Worker } from 'node:worker_threads';
import type { CampaignOptions, CampaignResult } from '../../fuzz/campaign.ts';
import type { Design } from '../../model/core/design.ts';
import { PROBE, PROBE_CELLS } from '../../runner/stepProbe.ts';
import type { CampaignRequest, DesignRef, WorkerData, WorkerMessage } from './protocol.ts';
import { readStall, stalledResult } from './stall.ts';

/** The default stall limit, in seconds: far above any step the built-in designs take (microseconds). */
export const DEFAULT_STEP_TIMEOUT_SECONDS = 10;

/** How often the probe is read, at most: often enough to stop soon after the limit, rarely enough to cost nothing. */
const MAX_POLL_MS = 250;

/** Runs campaigns under a watchdog. `close()` it when done: a live worker keeps the process running. */
/**
 * The worker's entry. Run from the TypeScript sources (a checkout, under tsx or vitest), the worker must
 * register tsx itself first (workerEntry.mjs), since a worker does not inherit its parent's loader hooks;
 * run from the installed package's compiled dist/, the compiled campaign worker is plain JS and loads
 * directly (design files still load through tsx's tsImport, which needs no registration).
 */
const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./workerEntry.mjs', import.meta.url)
  : new URL('./campaignWorker.js', import.meta.url);

export class CampaignWatchdog {
  private worker: Worker | undefined;
  private cells = new Int32Array(new SharedArrayBuffer(PROBE_CELLS * Int32Array.BYTES_PER_ELEMENT));
  private names = new Map<number, string>();
  private readonly stallMs: number;

  /** `stepTimeoutSeconds`: how long one step may go without returning. */
  constructor(private readonly stepTimeoutSeconds: number) {
    this.stallMs = stepTimeoutSeconds * 1000;
  }

  private start(): Worker {
    this.cells = new Int32Array(new SharedArrayBuffer(PROBE_CELLS * Int32Array.BYTES_PER_ELEMENT));
    this.names = new Map();
    const data: WorkerData = { cells: this.cells.buffer as SharedArrayBuffer };
    const w = new Worker(WORKER_ENTRY, { workerData: data, stdout: false, stderr: false });
    return w;
  }

  /**
   * Run a campaign of `design` (found again in the worker through `ref`) with `opts`. Its invariants
   * must be registered ones: they travel by id.
   */
  run(ref: DesignRef, design: Design, opts: CampaignOptions): Promise<CampaignResult> {
    const worker = (this.worker ??= this.start());
    const cells = this.cells;
    const names = this.names;
    const invariants = opts.invariants.map((i) => i.id);
    const started = Date.now();
    return new Promise<CampaignResult>((resolve, reject) => {
      let lastBeat = Atomics.load(cells, PROBE.heartbeat);
      let lastChange = Date.now();
      let running = false;
      const finish = (): void => {
        clearInterval(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (m: WorkerMessage): void => {
        if (m.kind === 'name') names.set(m.id, m.name);
        else if (m.kind === 'started') {
          running = true;
          lastChange = Date.now();
        } else if (m.kind === 'progress') opts.onProgress?.(m.progress);
        else if (m.kind === 'done') {
          finish();
          resolve({ design, ...m.result });
        } else {
          finish();
          reject(new Error(`the campaign worker could not run ${design.id}: ${m.message}`));
        }
      };
      const onError = (e: Error): void => {
        finish();
        this.worker = undefined;
        reject(e);
      };
      const onExit = (code: number): void => {
        finish();
        this.worker = undefined;
        reject(new Error(`the campaign worker exited (code ${code}) during ${design.id}`));
      };
      const poll = (): void => {
        if (opts.shouldStop?.() === true) Atomics.store(cells, PROBE.stop, 1);
        if (!running) return;
        const beat = Atomics.load(cells, PROBE.heartbeat);
        const now = Date.now();
        if (beat !== lastBeat) {
          lastBeat = beat;
          lastChange = now;
          return;
        }
        if (now - lastChange < this.stallMs) return;
        finish();
        const stall = readStall(cells, names);
        this.worker = undefined;
        void worker.terminate().then(() =>
          resolve(stalledResult({ design, knobs: opts.knobs, seed: opts.seed }, invariants, stall, this.stepTimeoutSeconds, Date.now() - started)),
        );
      };
      const timer = setInterval(poll, Math.max(1, Math.min(MAX_POLL_MS, this.stallMs / 4)));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const req: CampaignRequest = { kind: 'campaign', design: ref, seed: opts.seed, budget: opts.budget, scope: opts.scope, knobs: opts.knobs, invariants };
      worker.postMessage(req);
    });
  }

  /** Stop the worker (idempotent). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w !== undefined) await w.terminate();
  }
}
