/**
 * grant-maptrack-accounting — the grant tables and the maptracks agree: each grant counts exactly the
 * handles naming it (`maps`), each handle has a half and each half's table entry is a mapping of that
 * grant, no grant mapping sits in a p2m or IOMMU table without a handle (Xen could never unmap it),
 * a grant is pinned exactly while a handle names it, and no grantee holds more handles than its
 * maptrack has room for.
 * Check it alone: `npx shadowcheck fuzz --invariant grant-maptrack-accounting`
 */
import { isPinned } from '../../src/model/core/grantActive.ts';
import { MAPTRACK_LIMIT } from '../../src/model/core/maptrack.ts';
import type { StateInvariant, Witness } from '../types.ts';
import { grantKey } from './grantHalves.ts';

/** A disagreement between a grant table and a maptrack. */
export interface MaptrackWitness extends Witness {
  reason:
    | 'maps-differ-from-handles'
    | 'handle-without-half'
    | 'half-entry-not-this-grant'
    | 'grant-mapping-without-handle'
    | 'pinned-without-handle'
    | 'maptrack-over-limit';
  dom: number;
  detail: string;
}

export const grantMaptrackAccounting: StateInvariant<MaptrackWitness> = {
  kind: 'state',
  id: 'grant-maptrack-accounting',
  title: "grant tables and maptracks agree: maps count handles, every grant mapping has its handle, pinned exactly while handled",
  category: 'accounting',
  rationale:
    'Xen finds what to undo through the maptrack (unmap, gnttab_release_mappings); a grant mapping with no handle can never be unmapped, and a count that drifts from the handles misleads end_access.',
  source: 'xen/common/grant_table.c (get_maptrack_handle, put_maptrack_handle, unmap_common); issue 11 item 2',
  check(d) {
    const s = d.state;
    const out: MaptrackWitness[] = [];
    const handles = new Map<string, number>();
    const owned = new Set<string>();
    for (const dom of s.domains) {
      let used = 0;
      for (let handle = 0; handle < dom.maptrack.length; handle++) {
        const m = dom.maptrack[handle];
        if (m === null) continue;
        used += 1;
        const k = grantKey(m.granter, m.ref);
        handles.set(k, (handles.get(k) ?? 0) + 1);
        if (m.hostGfn < 0 && m.deviceBfn < 0) out.push({ reason: 'handle-without-half', dom: dom.id, detail: `handle ${handle}` });
        if (m.hostGfn >= 0) {
          const e = dom.p2m[m.hostGfn];
          owned.add(`p${dom.id}:${m.hostGfn}`);
          if (e?.grant?.granter !== m.granter || e.grant.ref !== m.ref) out.push({ reason: 'half-entry-not-this-grant', dom: dom.id, detail: `handle ${handle} host gfn ${m.hostGfn}` });
        }
        if (m.deviceBfn >= 0) {
          const e = dom.iommu[m.deviceBfn];
          owned.add(`i${dom.id}:${m.deviceBfn}`);
          if (e?.source.kind !== 'grant' || e.source.granter !== m.granter || e.source.ref !== m.ref) out.push({ reason: 'half-entry-not-this-grant', dom: dom.id, detail: `handle ${handle} device bfn ${m.deviceBfn}` });
        }
      }
      if (used > MAPTRACK_LIMIT) out.push({ reason: 'maptrack-over-limit', dom: dom.id, detail: `${used} handles, room for ${MAPTRACK_LIMIT}` });
    }
    for (const dom of s.domains) {
      if (dom.state === 'none' || dom.state === 'dead') continue;
      dom.p2m.forEach((e, gfn) => {
        if (e?.grant !== undefined && !owned.has(`p${dom.id}:${gfn}`)) out.push({ reason: 'grant-mapping-without-handle', dom: dom.id, detail: `gfn ${gfn} maps grant ref ${e.grant.ref} of dom${e.grant.granter}` });
      });
      dom.iommu.forEach((e, bfn) => {
        if (e?.source.kind === 'grant' && !owned.has(`i${dom.id}:${bfn}`)) out.push({ reason: 'grant-mapping-without-handle', dom: dom.id, detail: `bfn ${bfn} maps grant ref ${e.source.ref} of dom${e.source.granter}` });
      });
      dom.grants.forEach((g, ref) => {
        if (g === null) return;
        const n = handles.get(grantKey(dom.id, ref)) ?? 0;
        if (g.maps !== n) out.push({ reason: 'maps-differ-from-handles', dom: dom.id, detail: `grant ref ${ref} counts ${g.maps} mappings, ${n} handles name it` });
        else if (isPinned(g) !== n > 0) out.push({ reason: 'pinned-without-handle', dom: dom.id, detail: `grant ref ${ref} is ${isPinned(g) ? '' : 'not '}pinned with ${n} handles` });
      });
    }
    return out;
  },
  describe: (w) => `dom${w.dom}: ${w.reason.replace(/-/g, ' ')} (${w.detail})`,
};
