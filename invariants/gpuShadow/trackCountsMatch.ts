/**
 * track-counts-match (accounting) — each GFN's write-track counter equals the number of live trackers
 * (the shadow structures mirroring that page) and never wraps past its width.
 * Seed 002: "use 'unsigned short' as the track counter to reduce the memory and which should be enough
 * for shadow page table and KVMGT"; "gfn is no tracked after its last user is gone".
 * Check it alone: `npx shadowcheck fuzz --invariant track-counts-match`
 */
import { hex } from '../../src/model/core/words.ts';
import { liveTrackers, trackerKey } from '../../src/model/gpuShadow/shadow.ts';
import { slotOf } from '../../src/model/gpuShadow/pageTrack.ts';
import type { HolderWitness, StateInvariant } from '../types.ts';

/** A GFN whose write-track counter disagrees with the shadows that mirror it. */
export interface TrackCountWitness extends HolderWitness<'memslot', 'counter-wrapped' | 'counter-mismatch' | 'tracker-outside-memslots'> {
  dom: number;
  expected: number;
  actual: number;
}

export const trackCountsMatch: StateInvariant<TrackCountWitness> = {
  kind: 'state',
  id: 'track-counts-match',
  title: "each GFN's write-track counter equals its live trackers and stays within its width",
  category: 'accounting',
  rationale:
    'A counter below its trackers untracks a page while a shadow still mirrors it (the last remove comes early); one above leaves a page tracked forever.',
  source: "seed 002: Xiao Guangrong, changelog v2 ('unsigned short' track counter) and the kvm_page_track_remove_page description",
  check(d) {
    const state = d.state;
    const pt = state.pageTrack;
    if (pt === undefined) return [];
    const trackers = liveTrackers(state);
    const out: TrackCountWitness[] = [];
    // Nonzero counters against the trackers; then each tracker against its counter (which may be zero).
    // Tracking state is keyed by domain id: walk ids in order (the record's key order) without enumerating keys.
    for (let dom = 0; dom < state.domains.length; dom++) {
      const vm = pt.vms[dom];
      if (vm === undefined) continue;
      for (const s of vm.memslots) {
        for (let i = 0; i < s.npages; i++) {
          const n = s.writeTrack[i];
          if (n === 0) continue;
          const gfn = s.base + i;
          const at = trackers.keys.indexOf(trackerKey(dom, gfn));
          const live = at < 0 ? 0 : trackers.counts[at];
          if (n > pt.counterMax) out.push({ reason: 'counter-wrapped', dom, holder: { via: 'memslot', base: s.base, gfn }, expected: pt.counterMax, actual: n });
          else if (n !== live) out.push({ reason: 'counter-mismatch', dom, holder: { via: 'memslot', base: s.base, gfn }, expected: live, actual: n });
        }
      }
    }
    for (let t = 0; t < trackers.keys.length; t++) {
      const k = trackers.keys[t];
      const live = trackers.counts[t];
      const dom = Math.floor(k / 65536);
      const gfn = k % 65536;
      const s = slotOf(pt.vms[dom], gfn);
      if (s === undefined) out.push({ reason: 'tracker-outside-memslots', dom, holder: { via: 'memslot', gfn }, expected: live, actual: 0 });
      else if (s.writeTrack[gfn - s.base] === 0) out.push({ reason: 'counter-mismatch', dom, holder: { via: 'memslot', base: s.base, gfn }, expected: live, actual: 0 });
    }
    return out;
  },
  describe(w) {
    const gfn = `dom${w.dom} gfn ${hex(w.holder.gfn)}`;
    if (w.reason === 'counter-wrapped') return `${gfn}: write-track counter ${w.actual} exceeds its width (max ${w.expected})`;
    if (w.reason === 'tracker-outside-memslots') return `${gfn}: ${w.expected} shadow(s) mirror it, but no memslot holds it: it cannot be tracked`;
    return `${gfn}: write-track counter is ${w.actual} but ${w.expected} shadow structure(s) mirror the page`;
  },
};
