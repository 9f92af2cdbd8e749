/**
 * Further measurements for `npm run bench`, each a name, a function and a one-line formatter.
 * Subsystems add theirs here (corpus replay speed, say).
 */
import type { ReplayRate } from '../trace/replayRate.ts';
import { measureReplayRate } from '../trace/replayRate.ts';
import { gpuShadowThroughput } from './gpuShadowThroughput.ts';
import { ioasidThroughput } from './ioasidThroughput.ts';
import { stepProbeOverhead } from './stepProbeOverhead.ts';

/** One extra benchmark. */
export interface ExtraBenchmark {
  name: string;
  run(): unknown;
  format(result: unknown): string;
}

/** The extra benchmarks, in the order printed. */
export const EXTRA_BENCHMARKS: ExtraBenchmark[] = [
  {
    name: 'corpus replay',
    run: () => measureReplayRate(),
    format: (r) => {
      const x = r as ReplayRate;
      const bad = x.notReproduced > 0 ? ` (${x.notReproduced} replays did NOT reproduce)` : '';
      return `${Math.round(x.entriesPerSecond).toLocaleString('en')} entries/s (${x.entries} committed entries, ${x.replays} replays in ${x.seconds.toFixed(1)} s)${bad}`;
    },
  },
  gpuShadowThroughput,
  ioasidThroughput,
  stepProbeOverhead,
];
