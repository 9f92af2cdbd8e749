/**
 * tracked-while-shadowed — every guest page-table page a live shadow mirrors (a PPGTT's root, each page
 * table under it) is write-tracked, across memslot moves and flag changes: otherwise the guest's CPU
 * writes to it no longer trap and the device model never hears of them.
 * Seed 002: "we write-protected guest PPGTT, when VM writes PPGTT, EPT violation [...] happens" (Jike
 * Song 2016-02-22); the v2 changelog's fix of tracking lost when a memslot is moved or re-flagged.
 * Check it alone: `npx shadowcheck fuzz --invariant tracked-while-shadowed`
 */
import { hex } from '../../src/model/core/words.ts';
import { trackCount } from '../../src/model/gpuShadow/pageTrack.ts';
import type { MirroredPage } from '../../src/model/gpuShadow/state.ts';
import type { HolderWitness, StateInvariant } from '../types.ts';

/** The witness for a mirrored page (a PPGTT's root when `pd` is -1) whose counter is zero. */
/** A mirrored guest page (a PPGTT root or page table) that is not write-tracked. */
export interface UntrackedWitness extends HolderWitness<'shadowPpgttRoot' | 'shadowPt', 'mirrored-page-untracked'> {
  dom: number;
}

function untracked(client: number, page: MirroredPage, ppgtt: number, pd: number): UntrackedWitness {
  return { reason: 'mirrored-page-untracked', dom: client, holder: { via: pd < 0 ? 'shadowPpgttRoot' : 'shadowPt', ppgtt, pd, gfn: page.gfn }, expected: '>0', actual: 0 };
}

export const trackedWhileShadowed: StateInvariant<UntrackedWitness> = {
  kind: 'state',
  id: 'tracked-while-shadowed',
  title: 'every guest page-table page a live shadow mirrors is write-tracked',
  category: 'functional',
  rationale:
    'Page tracking is how the device model keeps control of the tables the GPU uses: an untracked page-table page is one the guest can rewrite behind the shadow\'s back. Functional, as seed 002 treats a missed shadow update: the shadow still holds only the VM\'s own pinned pages, so the guest corrupts only its own GPU view.',
  source: 'seed 002: Jike Song 2016-02-22; Xiao Guangrong, changelog v2 (memslot move / flags)',
  check(d) {
    const state = d.state;
    const out: UntrackedWitness[] = [];
    const vgpus = state.gpu.shadow?.vgpus;
    if (vgpus === undefined) return out;
    // forEachMirror's walk, written out: this runs after every step, and a callback per mirror costs more than the check.
    for (let client = 0; client < state.domains.length; client++) {
      const ppgtts = vgpus[client]?.ppgtts;
      if (ppgtts === undefined) continue;
      for (let ppgtt = 0; ppgtt < ppgtts.length; ppgtt++) {
        const p = ppgtts[ppgtt];
        if (p === null) continue;
        if (!(trackCount(state, client, p.root.gfn) > 0)) out.push(untracked(client, p.root, ppgtt, -1));
        for (let pd = 0; pd < p.pts.length; pd++) {
          const pt = p.pts[pd];
          if (pt !== null && !(trackCount(state, client, pt.gfn) > 0)) out.push(untracked(client, pt, ppgtt, pd));
        }
      }
    }
    return out;
  },
  describe: (w) =>
    `dom${w.dom}'s ${w.holder.via === 'shadowPpgttRoot' ? 'PPGTT root' : `page table (PD entry ${w.holder.pd})`} at gfn ${hex(w.holder.gfn)} of PPGTT ${w.holder.ppgtt} is shadowed but not write-tracked: its CPU writes no longer reach the device model`,
};
