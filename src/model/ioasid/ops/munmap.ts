/**
 * decrease_reservation as the VMM's munmap of an HVA page, aimed — when `pinned` is drawn — at a page
 * the kernel's IOASID structures name (a mapping, a shadow, a registration, an mdev pin): the racy
 * munmap that makes a stale reference matter. The core op decides; only the aim differs.
 */
import { isAlive, pickFrom, ramGfns } from '../../core/lookup.ts';
import type { OpDef } from '../../core/op.ts';
import { defineOp } from '../../core/op.ts';
import type { State } from '../../core/state.ts';

/**
 * Frames the slice's stored entries name (a generator's hint): those only a shadow or an mdev pin
 * still names — what an unmap left behind — and those pinned by a mapping or registration.
 */
function namedFrames(state: State): { leftBehind: Set<number>; pinned: Set<number> } {
  const leftBehind = new Set<number>();
  const pinned = new Set<number>();
  const s = state.ioasid;
  if (s === undefined) return { leftBehind, pinned };
  for (const f of s.fds) {
    if (f === null) continue;
    for (const a of f.ioasids) {
      if (a === null) continue;
      for (const e of a.maps) if (e !== null && e.via === 'hva') pinned.add(e.mfn);
      for (const e of a.shadow) if (e !== null) leftBehind.add(e.mfn);
    }
    for (const r of f.registered) for (const x of r.frames) pinned.add(x.mfn);
  }
  for (const d of s.devices) for (const p of d.pins) leftBehind.add(p.mfn);
  for (const m of pinned) leftBehind.delete(m);
  return { leftBehind, pinned };
}

/** The core's decrease_reservation with the aim above. */
export function aimedMunmap(decrease: OpDef<{ dom: number; gfn: number }>): OpDef {
  return defineOp({
    ...decrease,
    gen: { dom: { kind: 'dom' }, gfn: { kind: 'pick' }, pinned: { kind: 'bool' } },
    resolve(state, raw) {
      const { leftBehind, pinned } = namedFrames(state);
      // Aimed: the VMM whose page it is, at a page left behind by an unmap, or else a pinned one.
      const owner = (m: number) => (state.frames[m].owner.kind === 'dom' ? (state.frames[m].owner as { dom: number }).dom : -1);
      const aimDom = [...leftBehind, ...pinned].map(owner).find((d) => d > 0 && isAlive(state, d));
      const dom = raw.pinned && aimDom !== undefined ? aimDom : raw.dom;
      if (!isAlive(state, dom)) return null;
      const all = ramGfns(state, dom);
      const mfn = (g: number) => state.domains[dom].p2m[g]!.mfn;
      const behind = all.filter((g) => leftBehind.has(mfn(g)));
      const aimed = behind.length > 0 ? behind : all.filter((g) => pinned.has(mfn(g)));
      const gfn = pickFrom(raw.pinned && aimed.length > 0 ? aimed : all, raw.gfn);
      return gfn === undefined ? null : { dom, gfn };
    },
  });
}
