/**
 * Checked steps per CPU-second for the GPU-shadowing designs, beside the headline figure for
 * xen-map-for-dma: the shadow structures (GGTT slices, PPGTTs, page contents, memslot counters) are in
 * every cloned state and their reach/refs are rebuilt after every step, so they must stay cheap.
 * Measured the same way: a warm-up, then 3000 runs from seed 42, every invariant the setting keeps.
 */
import { INVARIANTS } from '../../invariants/registry.ts';
import { kvmgtPageTrack } from '../designs/kvmgtPageTrack.ts';
import type { Design } from '../designs/types.ts';
import { expectationFor, knobDefaults } from '../designs/types.ts';
import { xengtShadowMap } from '../designs/xengtShadowMap.ts';
import { runCampaign } from '../fuzz/campaign.ts';
import { DEFAULT_SCOPE } from '../model/scope.ts';
import type { KnobValues } from '../ops/types.ts';
import { cpuMs } from './bareLoop.ts';
import type { ExtraBenchmark } from './extra.ts';

const RUNS = 3000;

/** The settings measured: each with every invariant expected to hold, so one joint search runs. */
const SETTINGS: [Design, KnobValues][] = [
  [kvmgtPageTrack, { trackDeviceWrites: true }],
  [xengtShadowMap, {}],
];

interface Row {
  design: string;
  knobs: KnobValues;
  steps: number;
  ms: number;
  stepsPerSec: number;
}

function measure(design: Design, extra: KnobValues): Row {
  const knobs = { ...knobDefaults(design), ...extra };
  const invariants = INVARIANTS.filter((i) => design.invariants.includes(i.id) && expectationFor(design, knobs, i.id).verdict === 'holds');
  const opts = { seed: 42, scope: DEFAULT_SCOPE, knobs, invariants };
  runCampaign(design, { ...opts, budget: { runs: 300 } });
  const started = cpuMs();
  const r = runCampaign(design, { ...opts, budget: { runs: RUNS } });
  const ms = cpuMs() - started;
  return { design: design.id, knobs: extra, steps: r.stats.steps, ms, stepsPerSec: (r.stats.steps / ms) * 1000 };
}

/** The extra benchmark. */
export const gpuShadowThroughput: ExtraBenchmark = {
  name: 'Checked steps/s, GPU-shadowing designs (every invariant the setting keeps)',
  run: () => SETTINGS.map(([d, k]) => measure(d, k)),
  format: (result) =>
    (result as Row[])
      .map((r) => `\n  ${r.design}${Object.keys(r.knobs).length ? ` ${JSON.stringify(r.knobs)}` : ''}: ${Math.round(r.stepsPerSec).toLocaleString('en')} (${r.steps} steps in ${r.ms.toFixed(0)} ms)`)
      .join(''),
};
