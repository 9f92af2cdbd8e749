/**
 * Queries over the platform slice that operations and invariants share: an RMRR's GFNs, which devices
 * use it, what occupies a GFN (the hypervisor's three-way test of seed 003 §3.2), and who may reach
 * reserved memory.
 */
import type { ReachEntry } from '../core/path.ts';
import type { PciDevice, Platform, RmrrRange } from './platform.ts';
import type { DomId, FrameOwner, P2mEntry, State } from '../core/state.ts';

/** The owner value of firmware-reserved frames (frozen and shared, like every owner value). */
export const RESERVED: FrameOwner = Object.freeze({ kind: 'reserved' });

/** The GFNs (== MFNs) of an RMRR. */
export function rmrrGfns(r: RmrrRange): number[] {
  const out: number[] = [];
  for (let i = 0; i < r.pages; i++) out.push(r.base + i);
  return out;
}

/** The GFNs of every RMRR a device uses, in order. */
export function deviceRmrrGfns(p: Platform, dev: PciDevice): number[] {
  return dev.rmrrs.flatMap((r) => rmrrGfns(p.rmrrs[r]));
}

/** The RMRR containing frame `mfn`, or -1. */
export function rmrrOfMfn(p: Platform, mfn: number): number {
  return p.rmrrs.findIndex((r) => mfn >= r.base && mfn < r.base + r.pages);
}

/** The device with this name, or undefined. */
export function findDevice(p: Platform, name: string): PciDevice | undefined {
  return p.devices.find((d) => d.name === name);
}

/** The other devices that use one of `dev`'s RMRRs (seed 003 Issue-3). */
export function sharersOf(p: Platform, dev: PciDevice): PciDevice[] {
  return p.devices.filter((o) => o !== dev && o.rmrrs.some((r) => dev.rmrrs.includes(r)));
}

/** Whether some device that belongs to `dom` uses RMRR `r`. */
export function domainUsesRmrr(p: Platform, dom: DomId, r: number): boolean {
  return p.devices.some((d) => d.owner === dom && d.rmrrs.includes(r));
}

/** Whether a p2m entry is the identity map of a reserved frame: gfn == mfn, a non-RAM type. */
export function isIdentityEntry(state: State, gfn: number, e: P2mEntry | null | undefined): boolean {
  return (
    e !== null &&
    e !== undefined &&
    e.type === 'mmio_direct' &&
    e.mfn === gfn &&
    state.frames[gfn] !== undefined &&
    state.frames[gfn].owner.kind === 'reserved'
  );
}

/** What the hypervisor finds at a GFN it must identity-map (seed 003 §3.2, "Xen hypervisor device assignment"). */
export type GfnOccupancy = 'unoccupied' | 'identity' | 'other';

/**
 * Classify `gfn` in `dom`'s p2m: unoccupied → map it; identity already → nothing; other mapping →
 * conflict. Emulated MMIO (`mmio_dm`) counts as unoccupied, as in Xen's p2m_add_identity_entry
 * (`p2mt == p2m_invalid || p2mt == p2m_mmio_dm`): the identity map replaces it — it holds no frame.
 */
export function classifyRmrrGfn(state: State, dom: DomId, gfn: number): GfnOccupancy {
  const e = state.domains[dom].p2m[gfn];
  if (e === null || e === undefined || e.type === 'mmio_dm') return 'unoccupied';
  return isIdentityEntry(state, gfn, e) ? 'identity' : 'other';
}

/** Whether `gfn` is one `dom` was built to keep free. */
export function isReservedGfn(state: State, dom: DomId, gfn: number): boolean {
  const res = state.platform?.domains[dom]?.reservation;
  return res !== null && res !== undefined && res.gfns.includes(gfn);
}

/**
 * Whether a reach of a reserved (RMRR) frame is legitimate: the principal is a device whose own RMRR
 * it is, or the principal's domain holds a device that uses that RMRR — the identity map of a
 * device's RMRR in the domain it is assigned to is what VT-d requires, not a foreign reach.
 */
export function rmrrReachAllowed(state: State, e: ReachEntry): boolean {
  const p = state.platform;
  if (p === undefined) return false;
  const r = rmrrOfMfn(p, e.mfn);
  if (r < 0) return false;
  if (e.principal.kind === 'device' && e.principal.device !== undefined) {
    const dev = findDevice(p, e.principal.device);
    if (dev !== undefined && dev.rmrrs.includes(r)) return true;
  }
  return domainUsesRmrr(p, e.principal.dom, r);
}
