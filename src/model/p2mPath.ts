/**
 * The path through one p2m entry: the p2m hop, then the grant, foreign map or virtio-GPU Map the entry
 * came from. Shared by every reach source that goes through a p2m (CPUs, and devices under shared EPT).
 */
import type { Hop } from './path.ts';
import type { DomId, P2mEntry } from './state.ts';

/** Hops from a domain's p2m slot to the frame it maps. */
export function p2mHops(dom: DomId, gfn: number, e: P2mEntry): Hop[] {
  const path: Hop[] = [{ via: 'p2m', dom, gfn, type: e.type }];
  if (e.grant !== undefined) path.push({ via: 'grant', granter: e.grant.granter, ref: e.grant.ref });
  if (e.foreign !== undefined) path.push({ via: 'foreign', dom: e.foreign.dom, gfn: e.foreign.gfn });
  if (e.map !== undefined) path.push({ via: 'virtioMap', handle: e.map.handle });
  return path;
}
