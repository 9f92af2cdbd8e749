/**
 * Checked steps per second for `ioasid-fd` with its defaults (every invariant it is checked against),
 * beside the headline figure for xen-map-for-dma: the IOASID reach walks every device's RID, vPASIDs,
 * bound tables, pins, ENQCMD routes and DMAs in flight after every step, so it must stay affordable.
 */
import { INVARIANTS } from '../../invariants/registry.ts';
import { knobDefaults } from '../model/core/design.ts';
import { ioasidFd } from '../model/ioasid/designs/ioasidFd.ts';
import type { ExtraBenchmark } from './extra.ts';
import type { Rate } from './throughput.ts';
import { measureThroughput } from './throughput.ts';

/** The extra benchmark. */
export const ioasidThroughput: ExtraBenchmark = {
  name: 'Checked steps/s (wall clock, median of 5), ioasid-fd, all invariants',
  run: () => measureThroughput(ioasidFd, knobDefaults(ioasidFd), INVARIANTS.filter((i) => ioasidFd.invariants.includes(i.id))),
  format: (result) => {
    const r = result as Rate;
    return `${Math.round(r.stepsPerSec).toLocaleString('en')} (${Math.round(r.stepsPerCpuSec).toLocaleString('en')} per CPU-s; ${r.steps} steps in ${r.ms.toFixed(0)} ms)`;
  },
};
