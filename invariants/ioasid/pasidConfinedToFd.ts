/**
 * pasid-confined-to-fd — a PASID-tagged DMA (a device's vPASID, a bound guest PASID table, or an
 * ENQCMD guest PASID through KVM's table) resolves only through IOASIDs of its device's bound fd, and
 * every table it reads is translated through that fd (a PASID table "put in the GPA space", seed 001
 * §5.7); an unmapped or freed PASID faults (the walk finds nothing).
 * Check it alone: `npx shadowcheck fuzz --design ioasid-fd --invariant pasid-confined-to-fd`
 */
import { pathText } from '../../src/model/words.ts';
import { forbiddenReach } from '../reachCheck.ts';
import type { ReachWitness, StateInvariant } from '../types.ts';
import { fdsOf, ioDeviceOf, pasidTagged } from './paths.ts';

/** A PASID-tagged reach that resolved outside its device's bound fd. */
export type PasidWitness = ReachWitness<'pasid-resolved-outside-bound-fd'>;

export const pasidConfinedToFd: StateInvariant<PasidWitness> = {
  kind: 'state',
  id: 'pasid-confined-to-fd',
  title: "a PASID-tagged DMA resolves only through IOASIDs and tables of its device's bound fd",
  category: 'security',
  rationale:
    "PASIDs are per device and host PASIDs global: a PASID resolved through KVM's table into another process's fd, or through a table read at a host address, takes the guest's work queue into memory that is not its VM's.",
  source: 'seed 001: Kevin Tian 2021-06-01 (§5.5 vPASID and KVM_MAP_PASID, §5.7 BIND_PASID_TABLE)',
  check: (d) =>
    forbiddenReach(d, 'pasid-resolved-outside-bound-fd', (state, e) => {
      const dev = ioDeviceOf(state, e);
      if (dev === undefined || !(pasidTagged(e.path) || e.path.some((h) => h.via === 'ioasidTablePage' && h.addrKind === 'hpa'))) return false;
      if (e.path.some((h) => h.via === 'ioasidTablePage' && h.addrKind === 'hpa')) return true;
      return fdsOf(e.path).some((fd) => fd !== dev.boundFd);
    }),
  describe: (w) => `${pathText(w.principal, w.path, w.mfn, w.frame)}: a PASID-tagged DMA resolved outside its device's bound fd`,
};
