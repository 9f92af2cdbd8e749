/**
 * Foreign maps (XENMEM_add_to_physmap with XENMAPSPACE_gmfn_foreign): a domain privileged for a target
 * maps one of the target's GFNs into its own p2m, taking a reference; XENMEM_remove_from_physmap drops it.
 */
import { fallible } from '../faults.ts';
import { getRef, putRef, undoGetRef } from '../frames.ts';
import { emptyGfns, isAlive, pickFrom, ramGfns } from '../lookup.ts';
import { isPrivilegedFor } from '../adversary.ts';
import { defineOp, fail, OK } from '../op.ts';

/** Map target's `gfn` at the caller's `callerGfn`. */
export const mapForeign = defineOp({
  name: 'mapForeign',
  actor: 'backend',
  doc: "caller maps target's gfn at its own callerGfn; only for domains on the caller's target list",
  gen: { caller: { kind: 'dom' }, target: { kind: 'dom' }, gfn: { kind: 'pick' } },
  resolve(state, raw) {
    const caller = raw.caller;
    const target = raw.target;
    if (!isAlive(state, caller) || !isAlive(state, target) || caller === target) return null;
    const gfn = pickFrom(ramGfns(state, target), raw.gfn);
    const callerGfn = pickFrom(emptyGfns(state, caller), 0);
    if (gfn === undefined || callerGfn === undefined) return null;
    return { caller, target, gfn, callerGfn };
  },
  enabled: (state, a) => isAlive(state, a.caller),
  apply(state, { caller, target, gfn, callerGfn }, ctx) {
    if (!isAlive(state, caller) || !isAlive(state, target)) return fail('ESRCH');
    if (caller === target) return fail('EINVAL');
    // xsm_map_gmfn_foreign is XSM_TARGET: a control-domain backend may map any domain (adversary.ts).
    if (!isPrivilegedFor(state, caller, target)) {
      ctx.note('non-target-map-refused');
      return fail('EPERM');
    }
    const src = state.domains[target].p2m[gfn];
    if (src === null || src === undefined || (src.type !== 'ram_rw' && src.type !== 'ram_ro')) return fail('EINVAL');
    const d = state.domains[caller];
    if (callerGfn < 0 || callerGfn >= d.p2m.length || d.p2m[callerGfn] !== null) return fail('EEXIST');
    // get_page_from_gfn takes the reference first; if the p2m then cannot get a page-table page, it is put back.
    getRef(state, src.mfn);
    const noP2mPage = fallible(ctx, 'p2m-pt-page');
    if (noP2mPage !== undefined) {
      undoGetRef(state, src.mfn);
      return fail(noP2mPage);
    }
    d.p2m[callerGfn] = {
      mfn: src.mfn,
      type: 'foreign',
      gen: state.frames[src.mfn].gen,
      counted: true,
      foreign: { dom: target, gfn },
    };
    return OK;
  },
});

/** Remove a foreign map from the caller's p2m, dropping its reference. */
export const unmapForeign = defineOp({
  name: 'unmapForeign',
  actor: 'backend',
  doc: 'caller removes the foreign map at callerGfn',
  gen: { caller: { kind: 'dom' }, map: { kind: 'pick' } },
  resolve(state, raw) {
    const caller = raw.caller;
    if (!isAlive(state, caller)) return null;
    const maps: number[] = [];
    const p2m = state.domains[caller].p2m;
    for (let gfn = 0; gfn < p2m.length; gfn++) if (p2m[gfn]?.type === 'foreign') maps.push(gfn);
    const callerGfn = pickFrom(maps, raw.map);
    return callerGfn === undefined ? null : { caller, callerGfn };
  },
  enabled: (state, a) => isAlive(state, a.caller),
  apply(state, { caller, callerGfn }) {
    if (!isAlive(state, caller)) return fail('ESRCH');
    const d = state.domains[caller];
    const e = d.p2m[callerGfn];
    if (e === null || e === undefined || e.type !== 'foreign') return fail('EINVAL');
    d.p2m[callerGfn] = null;
    putRef(state, e.mfn);
    return OK;
  },
});
