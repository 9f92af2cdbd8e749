/**
 * Further measurements for `npm run bench`, each a name, a function and a one-line formatter.
 * Subsystems add theirs here (corpus replay speed, say).
 */
import { gpuShadowThroughput } from './gpuShadowThroughput.ts';

/** One extra benchmark. */
export interface ExtraBenchmark {
  name: string;
  run(): unknown;
  format(result: unknown): string;
}

/** The extra benchmarks, in the order printed. */
export const EXTRA_BENCHMARKS: ExtraBenchmark[] = [gpuShadowThroughput];
