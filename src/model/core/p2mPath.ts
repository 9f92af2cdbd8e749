/**
 * The hops of a path through one p2m entry: the entry itself, then the grant, foreign map or virtio-GPU
 * Map it came from, which is what lets no-foreign-reach recognise a granted, target-privileged or
 * Map-provided reach. A device's DMA goes through the p2m too (shared EPT, or Xen's mirror of it in a
 * separate IOMMU), so its paths end with the same hops as a CPU's (core/reach.ts, rmrr/deviceDma.ts, virtio/maps.ts).
 */
import type { Hop, Principal, ReachEntry } from './path.ts';
import type { DomId, P2mEntry } from './state.ts';

/** Append the hops for `dom`'s p2m entry `e` at `gfn` to `path`. */
export function pushP2mHops(path: Hop[], dom: DomId, gfn: number, e: P2mEntry): void {
  path.push({ via: 'p2m', dom, gfn, type: e.type });
  if (e.grant !== undefined) path.push({ via: 'grant', granter: e.grant.granter, ref: e.grant.ref });
  if (e.foreign !== undefined) path.push({ via: 'foreign', dom: e.foreign.dom, gfn: e.foreign.gfn });
  if (e.map !== undefined) path.push({ via: 'virtioMap', handle: e.map.handle });
}

/** Whether a p2m type lets its holder write the frame. */
export function p2mWritable(type: P2mEntry['type']): boolean {
  return type !== 'ram_ro' && type !== 'grant_map_ro';
}

/**
 * A reach fact through one p2m entry whose path is built only when someone asks (a witness): reach is
 * rebuilt after every step of every run, and almost every fact is read for its frame alone.
 */
export class P2mReach implements ReachEntry {
  constructor(
    readonly principal: Principal,
    readonly mfn: number,
    readonly write: boolean,
    protected readonly gfn: number,
    protected readonly entry: P2mEntry,
  ) {}
  get path(): Hop[] {
    const path: Hop[] = [];
    pushP2mHops(path, this.principal.dom, this.gfn, this.entry);
    return path;
  }
  toJSON(): ReachEntry {
    return { principal: this.principal, mfn: this.mfn, write: this.write, path: this.path };
  }
}
