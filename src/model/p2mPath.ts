/**
 * The hops of a path through one p2m entry: the entry itself, then the grant or foreign map it came
 * from, which is what lets no-foreign-reach recognise a granted or target-privileged reach. A device's
 * DMA goes through the p2m too (shared EPT, or Xen's mirror of it in a separate IOMMU), so its paths
 * end with the same hops as a CPU's (reach.ts).
 */
import type { Hop } from './path.ts';
import type { DomId, P2mEntry } from './state.ts';

/** Append the hops for `dom`'s p2m entry `e` at `gfn` to `path`. */
export function pushP2mHops(path: Hop[], dom: DomId, gfn: number, e: P2mEntry): void {
  path.push({ via: 'p2m', dom, gfn, type: e.type });
  if (e.grant !== undefined) path.push({ via: 'grant', granter: e.grant.granter, ref: e.grant.ref });
  if (e.foreign !== undefined) path.push({ via: 'foreign', dom: e.foreign.dom, gfn: e.foreign.gfn });
}

/** Whether a p2m type lets its holder write the frame. */
export function p2mWritable(type: P2mEntry['type']): boolean {
  return type !== 'ram_ro' && type !== 'grant_map_ro';
}
