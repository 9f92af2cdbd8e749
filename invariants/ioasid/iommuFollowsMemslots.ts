/**
 * iommu-follows-memslots — a VMM's guest-RAM DMA mappings follow its KVM memslots: each root IOASID
 * mapping the VMM made of a GPA from the HVA its memslot gave it still names the HVA the memslot gives
 * that GPA now, and a GPA whose memslot is gone is not mapped. Otherwise a memslot deleted or moved
 * under a live mapping leaves the device writing guest RAM the vCPU no longer sees there (a functional
 * break: the frame stays pinned and the process's own, so no isolation invariant fires).
 * Check it alone: `npx shadowcheck fuzz --design ioasid-fd --invariant iommu-follows-memslots`
 */
import { hex } from '../../src/model/core/words.ts';
import { memslotHva } from '../../src/model/ioasid/lookup.ts';
import type { StateInvariant, Witness } from '../types.ts';

/** A guest-RAM mapping whose GPA's memslot now points elsewhere, or nowhere. */
export interface MemslotWitness extends Witness {
  reason: 'mapping-behind-memslot';
  dom: number;
  fd: number;
  ioasid: number;
  gpa: number;
  mappedHva: number;
  slotHva: number | null;
}

export const iommuFollowsMemslots: StateInvariant<MemslotWitness> = {
  kind: 'state',
  id: 'iommu-follows-memslots',
  title: "a VMM's guest-RAM DMA mappings name the HVA its KVM memslot gives each GPA now",
  category: 'functional',
  rationale:
    "The guest's RAM has two translations, KVM's memslots for the vCPUs and the gpa IOASID for its devices; the VMM must change both together, or after a memslot move the device DMAs into the old page while the guest reads the new one.",
  source: "issue 12 (memslot changes under live DMA mappings); seed 001 §5.1: \"The GPA address space is managed through DMA mapping protocol\"",
  check(d) {
    const s = d.state.ioasid;
    if (s === undefined) return [];
    const out: MemslotWitness[] = [];
    s.fds.forEach((f, fd) => {
      f?.ioasids.forEach((a, ioasid) => {
        a?.maps.forEach((e, gpa) => {
          if (e === null || e.via !== 'hva' || e.guestRam !== true) return;
          const slot = memslotHva(s, f.owner, gpa);
          if (slot !== e.hva) out.push({ reason: 'mapping-behind-memslot', principal: { kind: 'cpu', dom: f.owner }, dom: f.owner, fd, ioasid, gpa, mappedHva: e.hva, slotHva: slot ?? null });
        });
      });
    });
    return out;
  },
  describe: (w) =>
    `fd${w.fd} IOASID ${w.ioasid} maps gpa ${hex(w.gpa)} from dom${w.dom} hva ${hex(w.mappedHva)}, but its memslot ${w.slotHva === null ? 'was deleted' : `now puts it at hva ${hex(w.slotHva)}`}`,
};
