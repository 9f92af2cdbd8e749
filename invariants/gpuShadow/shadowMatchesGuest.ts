/**
 * shadow-matches-guest (functional) — every present shadow entry is the design's translation of the
 * current guest entry, at the frame's current generation: the guest GGTT entry (the device model's
 * copy of the trapped MMIO writes), or the guest PD and PT entries read from the page-table pages the
 * shadow mirrors — still those allocations — name the GFN the entry translated, and the frame it
 * translated to is still that allocation. A not-present (scratch) shadow entry always matches.
 * Seed 002: "KVMGT should not be confused the next time it works on that PPGTT page" (Paolo Bonzini);
 * "the shadow page table need to reflect the table in guest at any time" (Xiao Guangrong).
 * Check it alone: `npx shadowcheck fuzz --invariant shadow-matches-guest`
 */
import { frameText, hex, ownerText } from '../../src/model/core/words.ts';
import { hopText } from '../../src/model/words.ts';
import { frameEntry, NOT_PRESENT } from '../../src/model/gpuShadow/guestPages.ts';
import { busFrame } from '../../src/model/core/iommu.ts';
import type { Hop } from '../../src/model/core/path.ts';
import type { State } from '../../src/model/core/state.ts';
import type { MirroredPage, ShadowEntry } from '../../src/model/gpuShadow/state.ts';
import { isPending } from '../../src/model/core/phase.ts';
import type { StateInvariant, Witness } from '../types.ts';

/** Guest entry `index` of a mirrored page, if the page is still the allocation the shadow read. */
function mirroredEntry(state: State, m: MirroredPage, index: number): number {
  if (m.mfn < 0 || state.frames[m.mfn].gen !== m.gen) return NOT_PRESENT;
  return frameEntry(state, m.mfn, index);
}

/** Whether an entry matches the guest entry `guest` at its frame's generation (`compare` finds nothing). */
function matches(state: State, dom: number, e: ShadowEntry, guest: number): boolean {
  if (guest !== e.gfn || e.client !== dom) return false;
  const mfn = busFrame(state, state.gpu.backend, e.addr);
  return mfn !== undefined && state.frames[mfn].gen === e.gen;
}

/** The witness for one entry, or undefined when it matches the guest entry `guest` at its frame's generation. */
function compare(state: State, dom: number, e: ShadowEntry, guest: number, holder: Hop): ShadowMismatchWitness | undefined {
  if (guest !== e.gfn || e.client !== dom) return { reason: 'shadow-differs-from-guest-entry', dom, holder, expected: guest, actual: e.gfn };
  const mfn = busFrame(state, state.gpu.backend, e.addr);
  if (mfn === undefined) return { reason: 'translation-unmapped', dom, holder, expected: e.gen, actual: 'IOMMU fault' };
  const f = state.frames[mfn];
  if (f.gen !== e.gen) return { reason: 'translation-outdated', dom, holder, mfn, expected: e.gen, actual: f.gen, frame: { owner: f.owner, gen: f.gen, refcount: f.refcount } };
  return undefined;
}

/** A shadow entry (`holder`) that no longer says what the guest's entry says, or translates to a frame that moved on. */
export interface ShadowMismatchWitness extends Witness {
  reason: 'shadow-differs-from-guest-entry' | 'translation-unmapped' | 'translation-outdated' | 'page-table-no-longer-in-guest-pd';
  dom: number;
  holder: Hop;
}

export const shadowMatchesGuest: StateInvariant<ShadowMismatchWitness> = {
  kind: 'state',
  id: 'shadow-matches-guest',
  title: "every present shadow GTT/PPGTT entry translates the guest's current entry",
  category: 'functional',
  rationale:
    'The GPU walks only the shadow; where it differs from what the guest wrote, the guest\'s GPU work reads and writes the wrong pages — its own, so a functional fault, unless another invariant says otherwise.',
  source: 'seed 002: Paolo Bonzini 2016-02-19/23 (DMA into the PPGTT), Xiao Guangrong 2016-02-22',
  check(d) {
    const state = d.state;
    const sh = state.gpu.shadow;
    if (sh === undefined) return [];
    const out: ShadowMismatchWitness[] = [];
    // Runs after every step: entries that match (nearly all) are passed by `matches` without building a
    // holder or a closure; `compare` builds the witness for the rest.
    for (let dom = 0; dom < state.domains.length; dom++) {
      const vgpu = sh.vgpus[dom];
      if (vgpu === undefined) continue;
      // Between an emulated write and its track_write (a phased guestWritePte) the shadow is behind
      // by KVM's own order; the VM is judged once the notifier has run.
      if (state.continuations !== undefined && isPending(state, 'guestWritePte', (a) => a.dom === dom)) continue;
      for (let k = 0; k < vgpu.vggtt.length; k++) {
        const index = vgpu.ggttBase + k;
        const e = sh.ggtt[index];
        if (e === null || matches(state, dom, e, vgpu.vggtt[k])) continue;
        const w = compare(state, dom, e, vgpu.vggtt[k], { via: 'shadowGgtt', index, gfn: e.gfn });
        if (w !== undefined) out.push(w);
      }
      for (let p = 0; p < vgpu.ppgtts.length; p++) {
        const pp = vgpu.ppgtts[p];
        if (pp === null) continue;
        for (let pd = 0; pd < pp.pts.length; pd++) {
          const pt = pp.pts[pd];
          if (pt === null) continue;
          const guestPd = mirroredEntry(state, pp.root, pd);
          for (let j = 0; j < pt.entries.length; j++) {
            const e = pt.entries[j];
            if (e === null) continue;
            if (guestPd === pt.gfn && matches(state, dom, e, mirroredEntry(state, pt, j))) continue;
            const holder: Hop = { via: 'shadowPpgtt', owner: dom, ppgtt: p, gma: pd * pt.entries.length + j, gfn: e.gfn };
            if (guestPd !== pt.gfn) {
              out.push({ reason: 'page-table-no-longer-in-guest-pd', dom, holder, expected: guestPd, actual: pt.gfn });
              continue;
            }
            const w = compare(state, dom, e, mirroredEntry(state, pt, j), holder);
            if (w !== undefined) out.push(w);
          }
        }
      }
    }
    return out;
  },
  describe(w) {
    const gfn = (g: unknown) => (g === NOT_PRESENT ? 'not present' : `gfn ${hex(g as number)}`);
    const where = hopText(w.holder);
    switch (w.reason) {
      case 'page-table-no-longer-in-guest-pd':
        return `${where} hangs under a shadow page table for ${gfn(w.actual)}, but the guest's PD entry now says ${gfn(w.expected)}`;
      case 'translation-outdated':
        return `${where} translated ${frameText(w.mfn!, { owner: w.frame!.owner, gen: w.expected as number })}, which has been reallocated since (now ${ownerText(w.frame!.owner)}, gen ${w.actual})`;
      case 'translation-unmapped':
        return `${where} names a bus address the backend's IOMMU no longer maps`;
      default:
        return `${where} translates ${gfn(w.actual)}, but dom${w.dom}'s own entry says ${gfn(w.expected)}`;
    }
  },
};
