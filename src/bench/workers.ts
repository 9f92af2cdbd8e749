/**
 * The `--workers` row of `npm run bench`: the default campaign (every design, its knob variants,
 * every invariant, the default run budget) run with 1 and with 2 worker threads, its throughput
 * (fuzzing runs per wall-clock second) and the ratio, and whether the two reports are identical but
 * for wall-clock times. The machine's load average is printed beside it: on a shared machine the
 * ratio says how much of a second core this process got, not what the code can do.
 * Also runnable alone: `npx tsx src/bench/workers.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseFuzzArgs, runFuzz } from '../cli/fuzzCommand.ts';
import { CampaignWatchdog, DEFAULT_STEP_TIMEOUT_SECONDS } from '../cli/watchdog/watchdog.ts';

/** One pass of the default campaign. */
interface Pass {
  workers: number;
  wallMs: number;
  cpuMs: number;
  runs: number;
  runsPerSec: number;
  /** Seconds each worker spent running chunks: how evenly the work spread. */
  busySeconds: number[];
  /** The report without wall-clock times, to compare the passes. */
  report: string;
}

async function pass(workers: number, argv: readonly string[]): Promise<Pass> {
  const opts = parseFuzzArgs(argv);
  const pool = new CampaignWatchdog(DEFAULT_STEP_TIMEOUT_SECONDS, workers);
  const cpu = process.cpuUsage();
  const t = performance.now();
  try {
    const report = await runFuzz(opts, { executor: pool.executor((d) => ({ builtin: d.id })) });
    const wallMs = performance.now() - t;
    const used = process.cpuUsage(cpu);
    const runs = report.campaigns.reduce((n, c) => n + c.stats.runs, 0);
    return {
      workers,
      wallMs,
      // process.cpuUsage counts every thread of the process, the workers included.
      cpuMs: (used.user + used.system) / 1000,
      runs,
      runsPerSec: (runs * 1000) / wallMs,
      busySeconds: pool.busyMs.map((ms) => ms / 1000),
      report: JSON.stringify(report, (k, v) => (k === 'elapsedMs' || k === 'msToFirstFailure' ? undefined : v)),
    };
  } finally {
    await pool.close();
  }
}

/** The measurement: 1 worker, then 2, on the same inputs. */
export interface WorkersRow {
  argv: string[];
  one: Omit<Pass, 'report'>;
  two: Omit<Pass, 'report'>;
  speedup: number;
  identical: boolean;
  loadAverage: number[];
  cores: number;
}

/** Measure and print the row; `argv` are fuzz arguments (default: none, the default campaign). */
export async function benchWorkers(argv: string[] = (process.env.BENCH_WORKERS_ARGS ?? '').split(' ').filter((a) => a !== '')): Promise<WorkersRow> {
  const one = await pass(1, argv);
  const two = await pass(2, argv);
  const strip = ({ report: _r, ...rest }: Pass) => rest;
  const row: WorkersRow = { argv, one: strip(one), two: strip(two), speedup: two.runsPerSec / one.runsPerSec, identical: one.report === two.report, loadAverage: loadavg(), cores: availableParallelism() };
  const what = argv.length > 0 ? `fuzz ${argv.join(' ')}` : 'the default campaign (fuzz, no flags)';
  const fmt = (p: Pass) => `${Math.round(p.runsPerSec).toLocaleString('en')} runs/s (${p.runs} runs in ${(p.wallMs / 1000).toFixed(1)} s wall, ${(p.cpuMs / 1000).toFixed(1)} CPU-s)`;
  console.log(`\n--workers on ${what}, ${row.cores} cores, load average ${row.loadAverage.map((l) => l.toFixed(1)).join(' ')}:`);
  console.log(`  --workers 1: ${fmt(one)}`);
  console.log(`  --workers 2: ${fmt(two)}`);
  console.log(`  speedup ${row.speedup.toFixed(2)}×; reports ${row.identical ? 'identical' : 'DIFFERENT'} (but for wall-clock times)`);
  // Load slows every thread alike, so how evenly the chunks spread over the workers bounds the speedup an idle machine would show.
  const busy = two.busySeconds;
  const bound = busy.reduce((a, b) => a + b, 0) / Math.max(...busy);
  console.log(`  --workers 2 busy time per worker: ${busy.map((b) => `${b.toFixed(1)} s`).join(' / ')} → at most ${bound.toFixed(2)}× from the work's balance`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/workers.json', JSON.stringify(row, null, 2) + '\n');
  return row;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await benchWorkers();
