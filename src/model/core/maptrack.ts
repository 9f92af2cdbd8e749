/**
 * The grantee's maptrack (xen/common/grant_table.c: get_maptrack_handle, put_maptrack_handle): one
 * handle per grant mapping, a host half and/or a device half, freed when both halves are gone. Xen's
 * table is bounded (`max_maptrack_frames` × MAPTRACK_PER_PAGE); when no handle is free and no frame
 * may be added, map_grant_ref answers GNTST_no_space before it touches anything.
 */
import type { Domain, MaptrackEntry } from './state.ts';

/**
 * Handles per grantee. Xen's default bound is 1024 frames of 512 entries; the model's worlds have a
 * few dozen GFNs, so a small bound stands for it — large enough that campaigns map freely, small
 * enough that a test fills it.
 */
export const MAPTRACK_LIMIT = 16;

/** get_maptrack_handle: the lowest free handle of the grantee, or undefined when the table is full. */
export function getMaptrackHandle(d: Domain): number | undefined {
  const free = d.maptrack.indexOf(null);
  if (free >= 0) return free;
  return d.maptrack.length < MAPTRACK_LIMIT ? d.maptrack.length : undefined;
}

/** Whether a maptrack entry still has a half: a host mapping, a device mapping, or both. */
export function hasHalf(m: MaptrackEntry): boolean {
  return m.hostGfn >= 0 || m.deviceBfn >= 0;
}
