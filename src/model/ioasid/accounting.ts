/**
 * Locked-page accounting (RLIMIT_MEMLOCK, no CAP_IPC_LOCK) as the kernel keeps it: what one fd charges
 * its owner under the design's rule, computed from the pins the fd stores. Ops charge the difference a
 * change makes, and refuse with ENOMEM before changing anything when the owner's total would pass its
 * limit. The invariant `locked-accounting-exact` compares the stored counter with the distinct frames
 * the references actually pin.
 */
import type { IoasidConfig } from './knobs.ts';
import type { IoasidFd, IoasidState, IoDevice } from './state.ts';

/** Frames `fd` pins: root mappings, registered pages, and the access pins of devices through it. */
function pinned(f: IoasidFd, fdId: number, devices: readonly IoDevice[]): { maps: string[]; other: string[] } {
  const maps: string[] = [];
  const other: string[] = [];
  for (const a of f.ioasids) {
    if (a === null) continue;
    // A BAR page (peer-to-peer) is no memory of the process's: nothing to lock.
    for (const e of a.maps) if (e !== null && e.via === 'hva' && e.bar === undefined) maps.push(`${e.mfn}:${e.gen}`);
  }
  for (const r of f.registered) for (const x of r.frames) other.push(`${x.mfn}:${x.gen}`);
  for (const d of devices) for (const p of d.pins) if (p.fd === fdId) other.push(`${p.mfn}:${p.gen}`);
  return { maps, other };
}

/** Software-nested child mappings of the fd (what `child-too` charges as well). */
function childMaps(f: IoasidFd): number {
  let n = 0;
  for (const a of f.ioasids) if (a !== null && a.parent >= 0) for (const e of a.maps) if (e !== null && e.via === 'gpa') n++;
  return n;
}

/**
 * What fd `f` (id `fdId`, possibly a candidate not yet stored) charges under the rule: `prereg` each
 * distinct frame once; `per-map` every root mapping on its own, plus registered and pinned frames no
 * mapping covers; `child-too` prereg's count plus one per software-nested child mapping.
 */
export function chargeOf(f: IoasidFd, fdId: number, devices: readonly IoDevice[], rule: IoasidConfig['accounting']): number {
  const { maps, other } = pinned(f, fdId, devices);
  const distinct = new Set([...maps, ...other]).size;
  if (rule === 'per-map') {
    const mapped = new Set(maps);
    return maps.length + new Set(other.filter((k) => !mapped.has(k))).size;
  }
  return rule === 'child-too' ? distinct + childMaps(f) : distinct;
}

/** Whether `owner` may be charged `delta` more pages on top of what its fds store. */
export function mayCharge(s: IoasidState, owner: number, delta: number): boolean {
  if (delta <= 0) return true;
  let total = delta;
  for (const f of s.fds) if (f !== null && f.owner === owner) total += f.lockedPages;
  return total <= (s.memlock[owner] ?? 0);
}
