/**
 * no-partial-group-dma — a device reaches nothing through its IOMMU group's shared context while the
 * group is only partly attached to that IOASID, or partly owned by another process. Devices without
 * ACS between them share one translation context, so attaching one retargets both; Kevin Tian (seed
 * 001): "an IOASID will reject cmd if partially-attached group exists".
 * Check it alone: `npx shadowcheck fuzz --design ioasid-fd --invariant no-partial-group-dma`
 */
import { pathText } from '../../src/model/words.ts';
import { groupWhole } from '../../src/model/ioasid/lookup.ts';
import { forbiddenReach } from '../reachCheck.ts';
import type { ReachWitness, StateInvariant } from '../types.ts';
import { ioDeviceOf } from './paths.ts';

/** A group member reaching a frame through the shared context of a group that is not whole. */
export type PartialGroupWitness = ReachWitness<'dma-through-partial-group'>;

export const noPartialGroupDma: StateInvariant<PartialGroupWitness> = {
  kind: 'state',
  id: 'no-partial-group-dma',
  title: 'no DMA through an IOMMU group that is partly attached or partly owned by another process',
  category: 'security',
  rationale:
    "A member left out of an attach still walks the group's one context: it DMAs into an address space nobody attached it to — another process's, if the toolstack split the group.",
  source: 'seed 001: Kevin Tian 2021-06-01 (reply to Jason on container/group: "an IOASID will reject cmd if partially-attached group exists")',
  check: (d) =>
    forbiddenReach(d, 'dma-through-partial-group', (state, e) => {
      const dev = ioDeviceOf(state, e);
      if (dev === undefined || dev.group < 0 || !e.path.some((h) => h.via === 'ioasidAttach' && h.how === 'group')) return false;
      const s = state.ioasid!;
      const g = s.groups[dev.group];
      return s.devices.filter((m) => g.devices.includes(m.name)).some((m) => !groupWhole(s, m));
    }),
  describe: (w) => `${pathText(w.principal, w.path, w.mfn, w.frame)}: its IOMMU group is only partly attached or partly owned by another process`,
};
