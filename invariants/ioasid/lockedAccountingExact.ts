/**
 * locked-accounting-exact — each fd's stored locked-page count equals the distinct frames pinned for it
 * (root mappings, registered pages, mdev access pins), each once however many IOASIDs, children or
 * registrations use it, and no user is charged past its RLIMIT_MEMLOCK. Seed 001 §5.2: "To avoid
 * duplicated locked page accounting, it's recommended to pre-register"; §5.3: "locked accounting is only
 * conducted for gpa_ioasid".
 * Check it alone: `npx shadowcheck fuzz --design ioasid-fd --invariant locked-accounting-exact`
 */
import type { StateInvariant, Witness } from '../types.ts';

/** An fd whose stored count disagrees with the frames pinned for it, or a user charged past its limit. */
export interface LockedWitness extends Witness {
  reason: 'locked-pages-mismatch' | 'over-memlock';
  dom: number;
  expected: number;
  actual: number;
  fd?: number;
}

export const lockedAccountingExact: StateInvariant<LockedWitness> = {
  kind: 'state',
  id: 'locked-accounting-exact',
  title: "each fd's locked-page count equals the distinct frames pinned for it, within RLIMIT_MEMLOCK",
  category: 'accounting',
  rationale:
    'Over-counting makes a VM with a vIOMMU hit its memlock limit for pages it pinned once (the duplicated accounting the RFC set out to remove); under-counting lets a process pin past its limit.',
  source: 'seed 001: Kevin Tian 2021-06-01 (§5.2 pre-registration, §5.3 accounting only for gpa_ioasid)',
  check(d) {
    const s = d.state.ioasid;
    if (s === undefined) return [];
    const pinned = new Map<number, Set<string>>();
    for (const r of d.refs()) {
      const h = r.holder;
      if (!r.counted || (h.via !== 'ioasidMap' && h.via !== 'ioasidRegistered' && h.via !== 'accessPin')) continue;
      if (!pinned.has(h.fd)) pinned.set(h.fd, new Set());
      pinned.get(h.fd)!.add(`${r.mfn}:${r.gen}`);
    }
    const out: LockedWitness[] = [];
    const charged: Record<number, number> = {};
    s.fds.forEach((f, fd) => {
      if (f === null) return;
      const expected = pinned.get(fd)?.size ?? 0;
      charged[f.owner] = (charged[f.owner] ?? 0) + f.lockedPages;
      if (f.lockedPages !== expected) out.push({ reason: 'locked-pages-mismatch', principal: { kind: 'cpu', dom: f.owner }, dom: f.owner, fd, expected, actual: f.lockedPages });
    });
    for (const [dom, pages] of Object.entries(charged)) {
      const limit = s.memlock[Number(dom)] ?? 0;
      if (pages > limit) out.push({ reason: 'over-memlock', principal: { kind: 'cpu', dom: Number(dom) }, dom: Number(dom), expected: limit, actual: pages });
    }
    return out;
  },
  describe: (w) =>
    w.reason === 'locked-pages-mismatch'
      ? `fd${w.fd} of dom${w.dom} is charged ${w.actual} locked pages but pins ${w.expected} distinct frames`
      : `dom${w.dom} is charged ${w.actual} locked pages, over its RLIMIT_MEMLOCK of ${w.expected}`,
};
