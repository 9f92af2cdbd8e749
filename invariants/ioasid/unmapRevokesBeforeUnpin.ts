/**
 * unmap-revokes-before-unpin (transition) — when DMA_UNMAP, a detach, a free or a close returns, nothing
 * reaches what it took away through that IOASID or one nested on it: no child's shadow, no stage 1
 * naming the GPA (it is walked through the parent, now without it), no mdev access pin, no DMA in
 * flight; so no page was unpinned while still reachable. Seed 001 §5.3 (the kernel's shadow merges the
 * parent's GPA→HVA) and the access unmap callback of mediated devices.
 * Check it alone: `npx shadowcheck fuzz --design ioasid-fd --invariant unmap-revokes-before-unpin`
 */
import type { Hop } from '../../src/model/core/path.ts';
import type { State } from '../../src/model/core/state.ts';
import { frameText } from '../../src/model/core/words.ts';
import { pathText } from '../../src/model/words.ts';
import type { Action } from '../../src/model/core/op.ts';
import type { ReachWitness, TransitionInvariant } from '../types.ts';
import { reachWitness } from '../witness.ts';

/** A reach that outlived the unmap, detach, free or close that should have revoked it. */
export interface UnrevokedWitness extends ReachWitness<'reaches-after-unmap'> {
  dom: number;
}

/** Which hops of a path go through what the step took away (judged against the state before it). */
function takenAway(before: State, action: Action): ((h: Hop) => boolean) | undefined {
  const s = before.ioasid;
  if (s === undefined) return undefined;
  const fd = action.fd as number;
  if (action.op === 'ioasidClose') return (h) => 'fd' in h && h.fd === fd;
  if (action.op === 'ioasidFree') return (h) => 'fd' in h && 'ioasid' in h && h.fd === fd && h.ioasid === action.ioasid;
  if (action.op === 'detachIoasid') {
    const dev = s.devices.find((d) => d.name === action.device);
    if (dev === undefined) return undefined;
    if ((action.vpasid as number) >= 0) return (h) => h.via === 'ioasidAttach' && h.device === dev.name && h.how === 'pasid' && h.pasid === action.vpasid;
    return (h) => (h.via === 'ioasidAttach' && h.device === dev.name && h.how === 'rid') || (h.via === 'accessPin' && h.device === dev.name);
  }
  const a = s.fds[fd]?.ioasids[action.ioasid as number];
  if (a === null || a === undefined || a.parent >= 0) return undefined;
  const iovas = Array.from({ length: action.pages as number }, (_, k) => (action.iova as number) + k).filter((i) => a.maps[i] !== null);
  const id = action.ioasid as number;
  const children = s.fds[fd]!.ioasids.map((c, i) => (c !== null && c.parent === id ? i : -1)).filter((i) => i >= 0);
  return (h) =>
    (h.via === 'ioasidMap' && h.fd === fd && h.ioasid === id && iovas.includes(h.iova)) ||
    (h.via === 'ioasidShadow' && h.fd === fd && children.includes(h.ioasid) && iovas.includes(h.gpa)) ||
    (h.via === 'accessPin' && h.fd === fd && h.ioasid === id && iovas.includes(h.iova));
}

export const unmapRevokesBeforeUnpin: TransitionInvariant<UnrevokedWitness> = {
  kind: 'transition',
  id: 'unmap-revokes-before-unpin',
  title: 'after DMA_UNMAP, detach, free or close, nothing reaches the range through that IOASID or one nested on it',
  category: 'security',
  rationale:
    "The VMM reuses an unmapped range at once — and may munmap it, freeing the page for someone else — so a child's shadow, an mdev pin or a DMA left reaching it writes into memory that is no longer the VMM's to give.",
  source: "seed 001: Kevin Tian 2021-06-01 (§5.3 the kernel's merged shadow; §5.5 mdev); the VFIO access unmap callback",
  ops: ['dmaUnmap', 'detachIoasid', 'ioasidFree', 'ioasidClose'],
  check(before, action, result, after) {
    if (!result.ok) return [];
    const gone = takenAway(before, action);
    if (gone === undefined) return [];
    const out: UnrevokedWitness[] = [];
    for (const e of after.reach()) {
      if (e.path.some(gone)) out.push(reachWitness('reaches-after-unmap', e, after.state.frames[e.mfn], { dom: e.principal.dom }));
    }
    return out;
  },
  describe: (w) => `${pathText(w.principal, w.path, w.mfn, w.frame)}: still reaches ${frameText(w.mfn, w.frame)} after the unmap returned`,
};
