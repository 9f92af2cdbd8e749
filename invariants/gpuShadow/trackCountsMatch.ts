/**
 * track-counts-match (accounting) — each GFN's write-track counter equals the number of live trackers
 * and never wraps past its width. A tracker is a shadow structure mirroring the page — or, with KVMGT's
 * protect table, the vGPU itself: it tracks a page once (the table's entry), its entry counting the
 * structures that mirror the page (kvmgt.c, intel_gvt_page_track_add / _remove).
 * Seed 002: "use 'unsigned short' as the track counter to reduce the memory and which should be enough
 * for shadow page table and KVMGT"; "gfn is no tracked after its last user is gone".
 * Check it alone: `npx shadowcheck fuzz --invariant track-counts-match`
 */
import { hex } from '../../src/model/core/words.ts';
import { liveTrackers, trackerKey } from '../../src/model/gpuShadow/shadow.ts';
import { slotOf } from '../../src/model/gpuShadow/pageTrack.ts';
import { protectIndex, protectTableOf } from '../../src/model/gpuShadow/protectTable.ts';
import type { HolderWitness, StateInvariant } from '../types.ts';

/** A GFN whose write-track counter disagrees with the shadows that mirror it. */
export interface TrackCountWitness extends HolderWitness<'memslot', 'counter-wrapped' | 'counter-mismatch' | 'tracker-outside-memslots' | 'protect-users-mismatch'> {
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
          // With a protect table KVMGT is one tracker of the page, whatever the shadows mirroring it.
          const table = protectTableOf(state, dom);
          const live = table !== undefined ? (protectIndex(table, gfn) >= 0 ? 1 : 0) : at < 0 ? 0 : trackers.counts[at];
          if (n > pt.counterMax) out.push({ reason: 'counter-wrapped', dom, holder: { via: 'memslot', base: s.base, gfn }, expected: pt.counterMax, actual: n });
          else if (n !== live) out.push({ reason: 'counter-mismatch', dom, holder: { via: 'memslot', base: s.base, gfn }, expected: live, actual: n });
        }
      }
    }
    // A protect-table entry counts the structures that mirror its page: it goes when the last of them goes.
    for (let dom = 0; dom < state.domains.length; dom++) {
      const table = protectTableOf(state, dom);
      if (table === undefined) continue;
      for (const p of table) {
        const at = trackers.keys.indexOf(trackerKey(dom, p.gfn));
        const live = at < 0 ? 0 : trackers.counts[at];
        if (p.users !== live) out.push({ reason: 'protect-users-mismatch', dom, holder: { via: 'memslot', gfn: p.gfn }, expected: live, actual: p.users });
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
    if (w.reason === 'protect-users-mismatch') return `${gfn}: KVMGT's protect-table entry counts ${w.actual} shadow structure(s) but ${w.expected} mirror the page`;
    if (w.reason === 'tracker-outside-memslots') return `${gfn}: ${w.expected} shadow(s) mirror it, but no memslot holds it: it cannot be tracked`;
    return `${gfn}: write-track counter is ${w.actual} but ${w.expected} shadow structure(s) mirror the page`;
  },
};
