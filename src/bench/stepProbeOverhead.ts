/**
 * What the per-step watchdog costs the runner: checked steps/s of the throughput design with the
 * step probe installed (as in the watchdog's worker) beside the same measurement without it, in
 * one process, alternating, so the machine's load affects both alike.
 */
import { INVARIANTS } from '../../invariants/registry.ts';
import { knobDefaults } from '../model/core/design.ts';
import { xenMapForDma } from '../model/core/designs/xenMapForDma.ts';
import { installStepProbe, PROBE_CELLS } from '../runner/stepProbe.ts';
import type { ExtraBenchmark } from './extra.ts';
import type { Rate } from './throughput.ts';
import { measureThroughput } from './throughput.ts';

/** Steps/s without and with the probe. */
interface ProbeOverhead {
  without: Rate;
  with: Rate;
}

/** Alternations of the two measurements: on a busy machine load drifts, so neither side gets all the quiet moments. */
const ROUNDS = 3;

/** The run with the median rate per CPU-second (less sensitive than wall clock to other processes). */
function median(rates: Rate[]): Rate {
  return [...rates].sort((a, b) => a.stepsPerCpuSec - b.stepsPerCpuSec)[rates.length >> 1];
}

function measure(): ProbeOverhead {
  const design = xenMapForDma;
  const invariants = INVARIANTS.filter((i) => design.invariants.includes(i.id));
  const names = new Map<string, number>();
  const probe = {
    cells: new Int32Array(new SharedArrayBuffer(PROBE_CELLS * Int32Array.BYTES_PER_ELEMENT)),
    nameId: (n: string) => names.get(n) ?? (names.set(n, names.size), names.size - 1),
  };
  const without: Rate[] = [];
  const withProbe: Rate[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      installStepProbe(undefined);
      without.push(measureThroughput(design, knobDefaults(design), invariants));
      installStepProbe(probe);
      withProbe.push(measureThroughput(design, knobDefaults(design), invariants));
    }
  } finally {
    installStepProbe(undefined);
  }
  return { without: median(without), with: median(withProbe) };
}

/** The benchmark entry. */
export const stepProbeOverhead: ExtraBenchmark = {
  name: 'watchdog step probe',
  run: measure,
  format: (r) => {
    const x = r as ProbeOverhead;
    const pct = ((x.with.stepsPerCpuSec / x.without.stepsPerCpuSec - 1) * 100).toFixed(1);
    const n = (r: Rate) => Math.round(r.stepsPerCpuSec).toLocaleString('en');
    return `checked steps per CPU-s, ${xenMapForDma.id}, median of ${ROUNDS} alternating: ${n(x.without)} without the probe, ${n(x.with)} with it (${pct}%)`;
  },
};
