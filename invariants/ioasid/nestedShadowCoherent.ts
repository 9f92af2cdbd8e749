/**
 * nested-shadow-coherent — every software-nested shadow entry is the composition of the child's current
 * GIOVA→GPA mapping with the parent's current GPA→HVA→frame mapping, after every change to either level.
 * Seed 001 §5.3: the GIOVA→GPA mapping "will be merged by the kernel with GPA->HVA mapping of gpa_ioasid
 * to form a shadow mapping" (and Jason: "the kernel reaches into the parent IOASID's page tables").
 * A stale entry that names a freed frame is also no-stale-reference's.
 * Check it alone: `npx shadowcheck fuzz --design ioasid-fd --invariant nested-shadow-coherent`
 */
import { hex } from '../../src/model/core/words.ts';
import type { StateInvariant, Witness } from '../types.ts';

/** A shadow entry that is not what the two levels compose to now. */
export interface ShadowWitness extends Witness {
  reason: 'shadow-incoherent';
  fd: number;
  ioasid: number;
  iova: number;
  expected: { gpa: number; mfn: number; gen: number } | null;
  actual: { gpa: number; mfn: number; gen: number } | null;
}

export const nestedShadowCoherent: StateInvariant<ShadowWitness> = {
  kind: 'state',
  id: 'nested-shadow-coherent',
  title: "every software-nested shadow entry is the child's GIOVA→GPA composed with the parent's GPA→frame, now",
  category: 'functional',
  rationale:
    'The IOMMU walks the shadow, not the two levels: an entry the kernel did not re-merge after the parent changed sends the device to the frame the GPA used to name.',
  source: 'seed 001: Kevin Tian 2021-06-01 (§5.3) and Jason Gunthorpe 2021-05-28',
  check(d) {
    const s = d.state.ioasid;
    if (s === undefined) return [];
    const out: ShadowWitness[] = [];
    s.fds.forEach((f, fd) => {
      f?.ioasids.forEach((a, ioasid) => {
        if (a === null || a.parent < 0 || a.bound !== null) return;
        const parent = f.ioasids[a.parent];
        a.maps.forEach((m, iova) => {
          const pe = m !== null && m.via === 'gpa' ? parent?.maps[m.gpa] : null;
          const expected = m !== null && m.via === 'gpa' && pe !== null && pe !== undefined && pe.via === 'hva' ? { gpa: m.gpa, mfn: pe.mfn, gen: pe.gen } : null;
          const sh = a.shadow[iova];
          const actual = sh === null ? null : { gpa: sh.gpa, mfn: sh.mfn, gen: sh.gen };
          const same = expected === null ? actual === null : actual !== null && actual.gpa === expected.gpa && actual.mfn === expected.mfn && actual.gen === expected.gen;
          if (!same) out.push({ reason: 'shadow-incoherent', holder: { via: 'ioasidShadow', fd, ioasid, iova, gpa: m !== null && m.via === 'gpa' ? m.gpa : (sh?.gpa ?? -1) }, fd, ioasid, iova, expected, actual });
        });
      });
    });
    return out;
  },
  describe: (w) => {
    const say = (x: ShadowWitness['expected']) => (x === null ? 'nothing' : `gpa ${hex(x.gpa)} → mfn ${hex(x.mfn)} (gen ${x.gen})`);
    return `fd${w.fd} IOASID ${w.ioasid} shadow at iova ${hex(w.iova)} holds ${say(w.actual)} but the two levels compose to ${say(w.expected)}`;
  },
};
