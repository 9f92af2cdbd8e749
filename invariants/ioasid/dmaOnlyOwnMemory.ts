/**
 * dma-only-own-memory — every frame a device reaches (by RID, PASID, a nested shadow, a bound stage 1
 * through stage 2, an mdev pin, ENQCMD, a DMA in flight) is one its owner DMA-mapped or registered
 * through its own fd and still holds at that generation: never another process's, a free frame, or
 * kernel memory. A BAR page counts as the process's while the device it belongs to is its own and bound
 * (peer-to-peer DMA through the BAR's mmap). Hyperkernel's "any present IOMMU walk for a device owned by pid reaches a page owned
 * by pid", for the /dev/ioasid uAPI (seed 001).
 * Check it alone: `npx shadowcheck fuzz --design ioasid-fd --invariant dma-only-own-memory`
 */
import { frameText } from '../../src/model/core/words.ts';
import { pathText } from '../../src/model/words.ts';
import { forbiddenReach } from '../reachCheck.ts';
import type { ReachWitness, StateInvariant } from '../types.ts';
import { ownBar } from '../../src/model/ioasid/lookup.ts';
import { fdsOf, ioDeviceOf, namedGen } from './paths.ts';

/** A device reaching a frame its owner does not hold, through an fd not its owner's, or at a generation since reallocated. */
export type OwnMemoryWitness = ReachWitness<'device-reaches-unowned-frame'>;

export const dmaOnlyOwnMemory: StateInvariant<OwnMemoryWitness> = {
  kind: 'state',
  id: 'dma-only-own-memory',
  title: "a device reaches only frames its owner mapped or registered through its own fd, at the generation they had then",
  category: 'security',
  level: 1,
  rationale:
    "The kernel hands a VMM devices and DMA mappings; whatever path a device's request takes, it must land in memory that process pinned for it, or one process's device writes into another's memory or the kernel's.",
  source: 'seed 001: Kevin Tian 2021-06-01 (§5.1-5.7); Hyperkernel (hv6/spec/kernel/spec/specs.py)',
  check: (d) =>
    forbiddenReach(d, 'device-reaches-unowned-frame', (state, e, f) => {
      const dev = ioDeviceOf(state, e);
      if (dev === undefined) return false;
      const own = f.owner.kind === 'dom' && f.owner.dom === dev.owner;
      // Peer-to-peer: the BAR of another device of the same process, mapped through its mmap.
      if (!own && !(f.kind === 'mmio' && ownBar(state, dev.owner, e.mfn))) return true;
      const s = state.ioasid!;
      if (fdsOf(e.path).some((fd) => s.fds[fd]?.owner !== dev.owner)) return true;
      const gen = namedGen(state, e.path);
      return gen === undefined || gen !== f.gen;
    }),
  describe: (w) =>
    `${pathText(w.principal, w.path, w.mfn, w.frame)}: the device acts for dom${w.principal.dom}, which did not map ${frameText(w.mfn, w.frame)} through its own fd at this generation`,
};
