/**
 * Grant tables (GNTTABOP_*): a domain grants one of its frames to one grantee, read-only or
 * read-write; the grantee maps the grant (host mapping in its p2m and/or device mapping in its IOMMU),
 * each mapping taking a reference; `end_access` must fail while the grant is mapped.
 */
import { coreConfig } from '../knobs.ts';
import { fallible } from '../faults.ts';
import { getRef, putRef, undoGetRef } from '../frames.ts';
import { emptyBfns, emptyGfns, isAlive, pickFrom, ramGfns } from '../lookup.ts';
import type { State } from '../state.ts';
import { defineOp, fail, OK, okValue } from '../op.ts';
import { CORE_RULES } from '../rules.ts';
import { ruleOf } from '../ruleSet.ts';

/** Every live grant entry as (granter, ref). */
export function liveGrants(state: State): { granter: number; ref: number }[] {
  const out: { granter: number; ref: number }[] = [];
  for (const d of state.domains) {
    for (let ref = 0; ref < d.grants.length; ref++) if (d.grants[ref] !== null) out.push({ granter: d.id, ref });
  }
  return out;
}

/** Every live grant mapping as (grantee, handle). */
export function liveMaptrack(state: State): { grantee: number; handle: number }[] {
  const out: { grantee: number; handle: number }[] = [];
  for (const d of state.domains) {
    for (let handle = 0; handle < d.maptrack.length; handle++) {
      if (d.maptrack[handle] !== null) out.push({ grantee: d.id, handle });
    }
  }
  return out;
}

/** A guest fills a grant entry: `grantee` may map `gfn` (read-only when `readonly`). */
export const grantAccess = defineOp({
  name: 'grantAccess',
  actor: 'guest',
  doc: 'granter lets grantee map its gfn (read-only or read-write) under grant reference ref',
  gen: { granter: { kind: 'dom' }, grantee: { kind: 'dom' }, gfn: { kind: 'pick' }, readonly: { kind: 'bool' } },
  resolve(state, raw) {
    const granter = raw.granter;
    if (!isAlive(state, granter)) return null;
    const gfn = pickFrom(ramGfns(state, granter), raw.gfn);
    const ref = state.domains[granter].grants.indexOf(null);
    if (gfn === undefined || ref < 0) return null;
    return { granter, ref, grantee: raw.grantee, gfn, readonly: raw.readonly };
  },
  enabled: (state, a) => isAlive(state, a.granter),
  apply(state, { granter, ref, grantee, gfn, readonly }) {
    if (!isAlive(state, granter)) return fail('ESRCH');
    const d = state.domains[granter];
    if (grantee === granter || state.domains[grantee] === undefined) return fail('EINVAL');
    if (ref < 0 || ref >= d.grants.length) return fail('EINVAL');
    if (d.grants[ref] !== null) return fail('EBUSY');
    const e = d.p2m[gfn];
    if (e === null || e === undefined || (e.type !== 'ram_rw' && e.type !== 'ram_ro')) return fail('EINVAL');
    d.grants[ref] = { grantee, gfn, readonly, maps: 0 };
    return okValue(ref);
  },
});

/** GNTTABOP_map_grant_ref: the grantee maps a grant; returns a handle for the unmap. */
export const mapGrant = defineOp({
  name: 'mapGrant',
  actor: 'guest',
  weight: 3,
  doc: 'grantee maps grant ref of granter: host mapping at hostGfn and/or device mapping at deviceBfn (-1: none)',
  gen: { grant: { kind: 'pick' }, host: { kind: 'bool' }, device: { kind: 'bool' }, readonly: { kind: 'bool' } },
  resolve(state, raw) {
    const g = pickFrom(liveGrants(state), raw.grant);
    if (g === undefined) return null;
    const grantee = state.domains[g.granter].grants[g.ref]!.grantee;
    if (!isAlive(state, grantee)) return null;
    const wantDevice = raw.device && state.domains[grantee].kind !== 'pv-dom0';
    const wantHost = raw.host || !wantDevice;
    const hostGfn = wantHost ? pickFrom(emptyGfns(state, grantee), 0) : -1;
    const deviceBfn = wantDevice ? pickFrom(emptyBfns(state, grantee), 0) : -1;
    if (hostGfn === undefined || deviceBfn === undefined) return null;
    return { grantee, granter: g.granter, ref: g.ref, readonly: raw.readonly, hostGfn, deviceBfn };
  },
  enabled: (state, a) => isAlive(state, a.grantee),
  apply(state, { grantee, granter, ref, readonly, hostGfn, deviceBfn }, ctx) {
    if (!isAlive(state, grantee) || !isAlive(state, granter)) return fail('ESRCH');
    const g = state.domains[granter].grants[ref];
    if (g === null || g === undefined) return fail('ENOENT');
    if (g.grantee !== grantee) return fail('EPERM');
    if (g.readonly && !readonly) return fail('EPERM');
    const src = state.domains[granter].p2m[g.gfn];
    if (src === null || src === undefined || (src.type !== 'ram_rw' && src.type !== 'ram_ro')) return fail('EINVAL');
    const d = state.domains[grantee];
    if (hostGfn < 0 && deviceBfn < 0) return fail('EINVAL');
    if (hostGfn >= 0 && (hostGfn >= d.p2m.length || d.p2m[hostGfn] !== null)) return fail('EEXIST');
    if (deviceBfn >= 0 && (d.kind === 'pv-dom0' || deviceBfn >= d.iommu.length || d.iommu[deviceBfn] !== null)) {
      return fail('EEXIST');
    }
    // Xen takes the maptrack handle before touching anything (get_maptrack_handle), so running out is a clean refusal.
    const noHandle = fallible(ctx, 'maptrack-entry');
    if (noHandle !== undefined) return fail(noHandle);
    const mfn = src.mfn;
    const gen = state.frames[mfn].gen;
    // Whether each mapping takes its reference is a named rule (core/rules.ts); the entry records it, so release matches.
    const counts = ruleOf(CORE_RULES, ctx, 'grantMapCounts');
    if (hostGfn >= 0) {
      const noP2mPage = fallible(ctx, 'p2m-pt-page');
      if (noP2mPage !== undefined) return fail(noP2mPage);
      const counted = counts({ state, grantee, granter, ref, mfn, where: 'host' });
      d.p2m[hostGfn] = { mfn, type: readonly ? 'grant_map_ro' : 'grant_map_rw', gen, counted, grant: { granter, ref } };
      if (counted) getRef(state, mfn);
    }
    if (deviceBfn >= 0) {
      // iommu_map after the host mapping: when it fails, map_grant_ref's undo_out takes the host mapping back.
      const noIommuPage = fallible(ctx, 'iommu-pt-page');
      if (noIommuPage !== undefined) {
        if (hostGfn >= 0) {
          const host = d.p2m[hostGfn]!;
          d.p2m[hostGfn] = null;
          if (host.counted) undoGetRef(state, mfn);
        }
        return fail(noIommuPage);
      }
      const counted = counts({ state, grantee, granter, ref, mfn, where: 'device' });
      d.iommu[deviceBfn] = { mfn, gen, counted, source: { kind: 'grant', granter, ref } };
      if (counted) getRef(state, mfn);
    }
    g.maps += 1;
    if (g.maps > 1) ctx.note('grant-mapped-twice');
    let handle = d.maptrack.indexOf(null);
    if (handle < 0) handle = d.maptrack.length;
    d.maptrack[handle] = { granter, ref, readonly, hostGfn, deviceBfn };
    return okValue(handle);
  },
});

/** Undo one grant mapping of a domain: drop its p2m and IOMMU entries and their references. */
export function releaseMapping(state: State, grantee: number, handle: number): void {
  const d = state.domains[grantee];
  const m = d.maptrack[handle];
  if (m === null || m === undefined) return;
  if (m.hostGfn >= 0 && d.p2m[m.hostGfn] !== null) {
    if (d.p2m[m.hostGfn]!.counted) putRef(state, d.p2m[m.hostGfn]!.mfn);
    d.p2m[m.hostGfn] = null;
  }
  if (m.deviceBfn >= 0 && d.iommu[m.deviceBfn] !== null) {
    if (d.iommu[m.deviceBfn]!.counted) putRef(state, d.iommu[m.deviceBfn]!.mfn);
    d.iommu[m.deviceBfn] = null;
  }
  const g = state.domains[m.granter].grants[m.ref];
  if (g !== null && g !== undefined) g.maps -= 1;
  d.maptrack[handle] = null;
}

/** GNTTABOP_unmap_grant_ref: the grantee drops one mapping by handle. */
export const unmapGrant = defineOp({
  name: 'unmapGrant',
  actor: 'guest',
  doc: 'grantee unmaps the grant mapping with this handle, dropping its references',
  gen: { mapping: { kind: 'pick' } },
  resolve(state, raw) {
    const m = pickFrom(liveMaptrack(state), raw.mapping);
    return m === undefined ? null : { grantee: m.grantee, handle: m.handle };
  },
  enabled: (state, a) => isAlive(state, a.grantee),
  apply(state, { grantee, handle }) {
    if (!isAlive(state, grantee)) return fail('ESRCH');
    const m = state.domains[grantee].maptrack[handle];
    if (m === null || m === undefined) return fail('ENOENT');
    releaseMapping(state, grantee, handle);
    return OK;
  },
});

/** gnttab_end_foreign_access: the granter revokes a grant; must fail while the grant is mapped. */
export const endAccess = defineOp({
  name: 'endAccess',
  actor: 'guest',
  doc: 'granter ends access to grant ref; refused (EBUSY) while the grant is mapped',
  gen: { grant: { kind: 'pick' } },
  resolve(state, raw) {
    const g = pickFrom(liveGrants(state), raw.grant);
    return g === undefined ? null : g;
  },
  enabled: (state, a) => isAlive(state, a.granter),
  apply(state, { granter, ref }, ctx) {
    if (!isAlive(state, granter)) return fail('ESRCH');
    const g = state.domains[granter].grants[ref];
    if (g === null || g === undefined) return fail('ENOENT');
    if (g.maps > 0) ctx.note('end-access-while-mapped');
    // endAccessChecksMapped=false skips the check whatever the rule says (the knob's broken variant).
    if (coreConfig(ctx.knobs).endAccessChecksMapped && !ruleOf(CORE_RULES, ctx, 'endAccessAllowed')(state, granter, ref, g)) return fail('EBUSY');
    state.domains[granter].grants[ref] = null;
    return OK;
  },
});
