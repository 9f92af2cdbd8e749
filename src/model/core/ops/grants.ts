/**
 * Grant tables (GNTTABOP_*), as xen/common/grant_table.c keeps them: a domain grants one of its frames
 * to one grantee, read-only or read-write; the grantee maps the grant — a host half in its p2m and/or
 * a device half in its IOMMU (GNTMAP_host_map, GNTMAP_device_map, GNTMAP_readonly) — under one
 * maptrack handle. Each half pins the grant's active entry (its own GNTPIN_* counter), takes a
 * reference on the frame and, when writable where Xen asks for it, a writable-type reference; the
 * frame is the one fixed at first pin (`act->mfn`). An unmap undoes the host half, the device half or
 * both, and the handle is freed once neither is left. `end_access` must fail while the grant is mapped.
 * Map and unmap answer as the guest reads their `status`: GNTST_* codes.
 */
import { coreConfig } from '../knobs.ts';
import { getRef, putRef } from '../frames.ts';
import { isPinned, noPins, pinWouldOverflow } from '../grantActive.ts';
import type { PinKind } from '../grantActive.ts';
import type { GrantHalf } from '../grantRules.ts';
import { grantRule } from '../grantRules.ts';
import { fallible } from '../faults.ts';
import { emptyBfns, emptyGfns, isAlive, pickFrom, ramGfns } from '../lookup.ts';
import { getMaptrackHandle } from '../maptrack.ts';
import { getPageType, putPageType } from '../pageType.ts';
import type { GrantEntry, State } from '../state.ts';
import { defineOp, fail, OK, okValue } from '../op.ts';
import type { OpContext } from '../op.ts';
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
    d.grants[ref] = { grantee, gfn, readonly, maps: 0, pin: noPins(), mfn: -1 };
    return okValue(ref);
  },
});

/** The situation each pin kind reached is counted as. */
const PIN_NOTES: Record<PinKind, string> = { hostRw: 'grant-pin-hostRw', hostRo: 'grant-pin-hostRo', devRw: 'grant-pin-devRw', devRo: 'grant-pin-devRo' };

/** Count a pin kind reached, so campaigns show every counter was exercised. */
function notePins(ctx: Pick<OpContext, 'note'>, kinds: readonly PinKind[]): void {
  for (const k of kinds) ctx.note(PIN_NOTES[k]);
}

/**
 * GNTTABOP_map_grant_ref: the grantee maps a grant; `hostGfn` ≥ 0 asks for GNTMAP_host_map there,
 * `deviceBfn` ≥ 0 for GNTMAP_device_map there, `readonly` for GNTMAP_readonly. Returns the handle.
 * The checks come in map_grant_ref's order, and each refusal comes before anything changes.
 */
export const mapGrant = defineOp({
  name: 'mapGrant',
  actor: 'guest',
  weight: 3,
  doc: 'grantee maps grant ref of granter: host half at hostGfn and/or device half at deviceBfn (-1: none), pinning the grant; answers GNTST_* codes',
  gen: { grant: { kind: 'pick' }, host: { kind: 'bool' }, device: { kind: 'bool' }, readonly: { kind: 'bool' } },
  resolve(state, raw) {
    const g = pickFrom(liveGrants(state), raw.grant);
    if (g === undefined) return null;
    const grantee = state.domains[g.granter].grants[g.ref]!.grantee;
    if (!isAlive(state, grantee)) return null;
    // Generated device halves go only where Xen allows them (a grantee that is not paging-external, and not
    // a PV dom0, whose identity IOMMU already covers every frame); the refusals have their own tests.
    const d = state.domains[grantee];
    const wantDevice = raw.device && d.kind !== 'pv-dom0' && !(d.kind === 'hvm' || d.iommuPt === 'shared-ept');
    const wantHost = raw.host || !wantDevice;
    const hostGfn = wantHost ? pickFrom(emptyGfns(state, grantee), 0) : -1;
    const deviceBfn = wantDevice ? pickFrom(emptyBfns(state, grantee), 0) : -1;
    if (hostGfn === undefined || deviceBfn === undefined) return null;
    return { grantee, granter: g.granter, ref: g.ref, readonly: raw.readonly, hostGfn, deviceBfn };
  },
  enabled: (state, a) => isAlive(state, a.grantee),
  apply(state, { grantee, granter, ref, readonly, hostGfn, deviceBfn }, ctx) {
    if (!isAlive(state, grantee)) return fail('ESRCH');
    const host = hostGfn >= 0;
    const device = deviceBfn >= 0;
    // `!pin_incr`: neither GNTMAP_host_map nor GNTMAP_device_map.
    if (!host && !device) return fail('GNTST_bad_gntref');
    if (device && !grantRule(ctx, 'grantDeviceMapAllowed')(state, grantee)) return fail('GNTST_general_error');
    if (!isAlive(state, granter)) return fail('GNTST_bad_domain');
    const d = state.domains[grantee];
    const handle = getMaptrackHandle(d);
    if (handle === undefined) {
      ctx.note('grant-maptrack-full');
      return fail('GNTST_no_space');
    }
    const table = state.domains[granter].grants;
    if (ref < 0 || ref >= table.length) return fail('GNTST_bad_gntref');
    const g = table[ref];
    // _set_status: the shared entry must permit this domain (and writing, for a writable map).
    if (g === null || g.grantee !== grantee) return fail('GNTST_general_error');
    const halves: GrantHalf[] = [];
    if (device) halves.push({ state, grantee, granter, ref, mfn: -1, half: 'device', readonly });
    if (host) halves.push({ state, grantee, granter, ref, mfn: -1, half: 'host', readonly });
    const pins = halves.flatMap((h) => grantRule(ctx, 'grantPinOnMap')(h));
    if (isPinned(g) && pinWouldOverflow(g, pins)) {
      ctx.note('grant-pin-overflow-refused');
      return fail('GNTST_general_error');
    }
    if (g.readonly && !readonly) return fail('GNTST_general_error');
    // The frame: read from the granter's p2m at first pin (get_paged_frame), then act->mfn while pinned.
    let mfn = g.mfn;
    if (!isPinned(g)) {
      const src = state.domains[granter].p2m[g.gfn];
      if (src === null || src === undefined || (src.type !== 'ram_rw' && src.type !== 'ram_ro')) return fail('GNTST_bad_page');
      mfn = src.mfn;
    } else if (state.domains[granter].p2m[g.gfn]?.mfn !== mfn) {
      ctx.note('grant-mapped-pinned-frame-not-in-p2m');
    }
    if (host && (hostGfn >= d.p2m.length || d.p2m[hostGfn] !== null)) return fail('EEXIST');
    if (device && (d.kind === 'pv-dom0' || deviceBfn >= d.iommu.length || d.iommu[deviceBfn] !== null)) return fail('EEXIST');
    // The fallible points in map_grant_ref's order (maptrack entry, the host half's p2m page, the device half's
    // IOMMU page), all asked before anything changes: a failure is Xen's undo_out, leaving nothing behind.
    const noHandle = fallible(ctx, 'maptrack-entry');
    if (noHandle !== undefined) return fail(noHandle);
    const noP2mPage = host ? fallible(ctx, 'p2m-pt-page') : undefined;
    if (noP2mPage !== undefined) return fail(noP2mPage);
    const noIommuPage = device ? fallible(ctx, 'iommu-pt-page') : undefined;
    if (noIommuPage !== undefined) return fail(noIommuPage);
    const gen = state.frames[mfn].gen;
    // Whether a half takes its general reference is the core's rule (rules.ts); the entry records it, so release matches.
    const counts = ruleOf(CORE_RULES, ctx, 'grantMapCounts');
    const counted = { host: false, device: false };
    for (const h of halves) {
      h.mfn = mfn;
      counted[h.half] = counts({ state, grantee, granter, ref, mfn, where: h.half });
      if (counted[h.half]) getRef(state, mfn);
      if (grantRule(ctx, 'grantTakesTypeRef')(h)) getPageType(state, mfn);
    }
    if (host) d.p2m[hostGfn] = { mfn, type: readonly ? 'grant_map_ro' : 'grant_map_rw', gen, counted: counted.host, grant: { granter, ref } };
    if (device) d.iommu[deviceBfn] = { mfn, gen, counted: counted.device, source: { kind: 'grant', granter, ref } };
    for (const k of pins) g.pin[k] += 1;
    g.mfn = mfn;
    notePins(ctx, pins);
    g.maps += 1;
    if (g.maps > 1) ctx.note('grant-mapped-twice');
    d.maptrack[handle] = { granter, ref, readonly, hostGfn, deviceBfn };
    return okValue(handle);
  },
});

/** Undo one half of a mapping: its table entry, its reference and type reference, its pin (unmap_common_complete). */
function undoHalf(state: State, grantee: number, handle: number, half: 'host' | 'device', ctx: Pick<OpContext, 'rules' | 'knobs'>): void {
  const d = state.domains[grantee];
  const m = d.maptrack[handle]!;
  const g = state.domains[m.granter].grants[m.ref];
  const at = half === 'host' ? m.hostGfn : m.deviceBfn;
  const e = half === 'host' ? d.p2m[at] : d.iommu[at];
  if (e !== null && e !== undefined) {
    const h: GrantHalf = { state, grantee, granter: m.granter, ref: m.ref, mfn: e.mfn, half, readonly: m.readonly };
    if (half === 'host') d.p2m[at] = null;
    else d.iommu[at] = null;
    if (grantRule(ctx, 'grantTakesTypeRef')(h)) putPageType(state, e.mfn);
    if (e.counted) putRef(state, e.mfn);
    if (g !== null && g !== undefined) unpin(g, grantRule(ctx, 'grantUnpinOnUnmap')(h));
  }
  d.maptrack[handle] = half === 'host' ? { ...m, hostGfn: -1 } : { ...m, deviceBfn: -1 };
}

/** Take pins away (never below zero: Xen ASSERTs the counter is set); the active entry is released at zero. */
function unpin(g: GrantEntry, kinds: readonly PinKind[]): void {
  for (const k of kinds) if (g.pin[k] > 0) g.pin[k] -= 1;
  if (!isPinned(g)) g.mfn = -1;
}

/** Put the handle back when the rule says so; the grant then counts one mapping fewer. */
function maybeFreeHandle(state: State, grantee: number, handle: number, ctx: Pick<OpContext, 'rules' | 'knobs'>): boolean {
  const d = state.domains[grantee];
  const m = d.maptrack[handle]!;
  if (!grantRule(ctx, 'grantHandleFreed')(m)) return false;
  const g = state.domains[m.granter].grants[m.ref];
  if (g !== null && g !== undefined) g.maps -= 1;
  d.maptrack[handle] = null;
  return true;
}

/** Xen's own rules: what a teardown that has no op context (a test, a slice's cleanup) releases with. */
const XEN_RULES: Pick<OpContext, 'rules' | 'knobs'> = { knobs: {} };

/**
 * Undo one grant mapping of a domain, both halves (gnttab_release_mappings for a dying grantee, or a
 * full unmap): drop its p2m and IOMMU entries, their references and type references, and the pins.
 * `halves` 'host' releases only host halves: a teardown that skips the device side (a design's bug).
 */
export function releaseMapping(state: State, grantee: number, handle: number, ctx: Pick<OpContext, 'rules' | 'knobs'> = XEN_RULES, halves: 'both' | 'host' = 'both'): void {
  const m = state.domains[grantee].maptrack[handle];
  if (m === null || m === undefined) return;
  if (m.hostGfn >= 0) undoHalf(state, grantee, handle, 'host', ctx);
  if (halves === 'both' && m.deviceBfn >= 0) undoHalf(state, grantee, handle, 'device', ctx);
  maybeFreeHandle(state, grantee, handle, ctx);
}

/** Every unmap a grantee could ask for: each live handle with each choice of the halves it has. */
function unmapChoices(state: State): { grantee: number; handle: number; host: boolean; device: boolean }[] {
  const out: { grantee: number; handle: number; host: boolean; device: boolean }[] = [];
  for (const { grantee, handle } of liveMaptrack(state)) {
    const m = state.domains[grantee].maptrack[handle]!;
    const host = m.hostGfn >= 0;
    const device = m.deviceBfn >= 0;
    if (host && device) out.push({ grantee, handle, host: true, device: true }, { grantee, handle, host: true, device: false }, { grantee, handle, host: false, device: true });
    else out.push({ grantee, handle, host, device });
  }
  return out;
}

/**
 * GNTTABOP_unmap_grant_ref: the grantee undoes the host half (`host`: host_addr given), the device half
 * (`device`: dev_bus_addr given) or both of the mapping under `handle`; a half it does not have is left
 * alone, and asking for neither does nothing (op->done == 0). The handle is freed once no half is left.
 */
export const unmapGrant = defineOp({
  name: 'unmapGrant',
  actor: 'guest',
  doc: 'grantee unmaps the host half, the device half or both of the grant mapping with this handle; the handle goes when neither is left',
  // One pick over every (mapping, halves) choice, so the generated arguments stay one number: a mapping
  // with both halves offers host only, device only and both; a mapping with one half offers that half.
  gen: { mapping: { kind: 'pick' } },
  resolve(state, raw) {
    return pickFrom(unmapChoices(state), raw.mapping) ?? null;
  },
  enabled: (state, a) => isAlive(state, a.grantee),
  apply(state, { grantee, handle, host, device }, ctx) {
    if (!isAlive(state, grantee)) return fail('ESRCH');
    const m = state.domains[grantee].maptrack[handle];
    if (m === null || m === undefined) return fail('GNTST_bad_handle');
    const doHost = host && m.hostGfn >= 0;
    const doDevice = device && m.deviceBfn >= 0;
    if (doHost && doDevice) ctx.note('grant-unmap-both-halves');
    else if (doHost && m.deviceBfn >= 0) ctx.note('grant-partial-unmap-host-only');
    else if (doDevice && m.hostGfn >= 0) ctx.note('grant-partial-unmap-device-only');
    else if ((doHost || doDevice) && m.hostGfn < 0 !== m.deviceBfn < 0) ctx.note('grant-unmap-last-half');
    if (doHost) undoHalf(state, grantee, handle, 'host', ctx);
    if (doDevice) undoHalf(state, grantee, handle, 'device', ctx);
    if (doHost || doDevice) maybeFreeHandle(state, grantee, handle, ctx);
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
