/**
 * Checked steps per second for the GPU-shadowing designs, beside the headline figure for
 * xen-map-for-dma: the shadow structures (GGTT slices, PPGTTs, page contents, memslot counters) are in
 * every cloned state and their reach/refs are rebuilt after every step, so they must stay cheap.
 * Measured the same way (throughput.ts), with every invariant the setting keeps.
 */
import { INVARIANTS } from '../../invariants/registry.ts';
import { kvmgtPageTrack } from '../model/gpuShadow/designs/kvmgtPageTrack.ts';
import type { Design } from '../model/core/design.ts';
import { expectationFor, knobDefaults } from '../model/core/design.ts';
import { xengtShadowMap } from '../model/gpuShadow/designs/xengtShadowMap.ts';
import type { KnobValues } from '../model/core/op.ts';
import type { ExtraBenchmark } from './extra.ts';
import type { Rate } from './throughput.ts';
import { measureThroughput } from './throughput.ts';

/** The settings measured: each with every invariant expected to hold, so one joint search runs. */
const SETTINGS: [Design, KnobValues][] = [
  [kvmgtPageTrack, { trackDeviceWrites: true }],
  [xengtShadowMap, {}],
];

interface Row extends Rate {
  design: string;
  knobs: KnobValues;
}

function measure(design: Design, extra: KnobValues): Row {
  const knobs = { ...knobDefaults(design), ...extra };
  const invariants = INVARIANTS.filter((i) => design.invariants.includes(i.id) && expectationFor(design, knobs, i.id).verdict === 'holds');
  return { design: design.id, knobs: extra, ...measureThroughput(design, knobs, invariants) };
}

/** The extra benchmark. */
export const gpuShadowThroughput: ExtraBenchmark = {
  name: 'Checked steps/s (wall clock, median of 5), GPU-shadowing designs, every invariant the setting keeps',
  run: () => SETTINGS.map(([d, k]) => measure(d, k)),
  format: (result) =>
    (result as Row[])
      .map((r) => `\n  ${r.design}${Object.keys(r.knobs).length ? ` ${JSON.stringify(r.knobs)}` : ''}: ${Math.round(r.stepsPerSec).toLocaleString('en')} (${r.steps} steps in ${r.ms.toFixed(0)} ms)`)
      .join(''),
};
