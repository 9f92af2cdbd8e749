/**
 * Measuring checked steps per second: a JIT warm-up, then REPEATS campaigns of THROUGHPUT_RUNS runs,
 * reporting the repetition with the median wall-clock rate (and its CPU-time rate, GC threads included).
 */
import type { Invariant } from '../../invariants/types.ts';
import type { Design } from '../model/core/design.ts';
import { runCampaign } from '../fuzz/campaign.ts';
import { DEFAULT_SCOPE } from '../model/core/scope.ts';
import type { KnobValues } from '../model/core/op.ts';
import { cpuMs } from './bareLoop.ts';

/** Runs per measured campaign. */
export const THROUGHPUT_RUNS = 3000;
/** Repetitions of each throughput measurement; the median is reported, as JIT and machine noise vary. */
export const REPEATS = 5;
/** Campaigns run before measuring, to let the JIT settle. */
const WARMUP_CAMPAIGNS = 4;

/** A rate measured two ways: wall clock of the one JS thread, and CPU time of the whole process. */
export interface Rate {
  steps: number;
  ms: number;
  cpuMs: number;
  stepsPerSec: number;
  stepsPerCpuSec: number;
}

/** Build a rate from steps, wall milliseconds and CPU milliseconds. */
export function rate(steps: number, ms: number, cpu: number): Rate {
  return { steps, ms, cpuMs: cpu, stepsPerSec: (steps / ms) * 1000, stepsPerCpuSec: (steps / cpu) * 1000 };
}

/** The repetition with the median wall-clock rate. */
export function medianRate(rates: Rate[]): Rate {
  return [...rates].sort((a, b) => a.stepsPerSec - b.stepsPerSec)[rates.length >> 1];
}

/** Checked steps per second of `design` with `knobs`, checking `invariants` after every step. */
export function measureThroughput(design: Design, knobs: KnobValues, invariants: readonly Invariant[]): Rate {
  const opts = { seed: 42, scope: DEFAULT_SCOPE, knobs, invariants };
  // V8 keeps re-optimising the hot paths for several seconds; measuring earlier reads the JIT, not the code.
  for (let seed = 1; seed <= WARMUP_CAMPAIGNS; seed++) runCampaign(design, { ...opts, seed, budget: { runs: THROUGHPUT_RUNS } });
  const rates: Rate[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const wall = performance.now();
    const cpu = cpuMs();
    const r = runCampaign(design, { ...opts, budget: { runs: THROUGHPUT_RUNS } });
    rates.push(rate(r.stats.steps, performance.now() - wall, cpuMs() - cpu));
  }
  return medianRate(rates);
}
