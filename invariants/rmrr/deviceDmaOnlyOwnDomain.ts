/**
 * device-dma-only-own-domain — every frame a device's DMA reaches is one the domain it acts for may
 * reach (level 1: its own, a target's, granted to it) or an RMRR of that very device — before, during
 * and after (de)assignment. A device acts for its owner, and for each DMA already programmed, for the
 * domain that programmed it: DMA programmed before a deassignment may arrive after it.
 * Seed 003 (device assignment, the IOMMU context of the domain a device is assigned to) with Tim
 * Deegan's level 1 of seed 000.
 * Check it alone: `npx shadowcheck fuzz --invariant device-dma-only-own-domain`
 */
import { frameText } from '../../src/model/core/words.ts';
import { pathText } from '../../src/model/words.ts';
import { mayReach } from '../core/noForeignReach.ts';
import type { ReachWitness, StateInvariant } from '../types.ts';
import { reachWitness } from '../witness.ts';

/** A device's DMA reaching a frame its domain may not reach. */
export type DeviceDmaWitness = ReachWitness<'device-reaches-foreign-frame'>;

export const deviceDmaOnlyOwnDomain: StateInvariant<DeviceDmaWitness> = {
  kind: 'state',
  id: 'device-dma-only-own-domain',
  title: "a device's DMA reaches only what the domain it acts for may reach, or its own RMRRs",
  category: 'security',
  level: 1,
  rationale:
    'A deassigned device still holding a guest\'s DMA descriptors writes through whatever context it lands in; if that is the hardware domain\'s, the guest writes into dom0.',
  source: 'seed 003 (assignment and IOMMU contexts); seed 000: Tim Deegan 2014-12-11 21:29 (level 1)',
  check(d) {
    const out: DeviceDmaWitness[] = [];
    for (const e of d.reach()) {
      if (e.principal.kind !== 'device' || mayReach(d.state, e)) continue;
      out.push(reachWitness('device-reaches-foreign-frame', e, d.state.frames[e.mfn]));
    }
    return out;
  },
  describe: (w) =>
    `${pathText(w.principal, w.path, w.mfn, w.frame)}: the DMA acts for dom${w.principal.dom}, which may not reach ${frameText(w.mfn, w.frame)}`,
};
