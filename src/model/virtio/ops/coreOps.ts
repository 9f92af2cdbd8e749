/**
 * The core operations as the virtio-GPU design runs them, with two differences:
 *  - `grantAccess` and `mapForeign` are also aimed at Mapped GFNs (the frontend granting, or a
 *    privileged domain foreign-mapping, what the backend Mapped) so the fuzzer tries what the thread
 *    forbids; the core checks (RAM p2m types only) decide, and refusals are counted.
 *  - after every core operation, Xen's own housekeeping: the IOTLB flush that follows a p2m change (unless
 *    the design defers flushes) waits for the DMAs it invalidates, and a destroyed domain's hypercalls in flight are abandoned, dropping their
 *    page references (a dying domain's vCPUs are paused before its memory is torn down).
 */
import { emptyGfns, isAlive, pickFrom, ramGfns } from '../../core/lookup.ts';
import type { State } from '../../core/state.ts';
import { flushAndWait, keepStartedCached } from '../maps.ts';
import { CORE_OPS } from '../../core/ops/coreOps.ts';
import { mapForeign } from '../../core/ops/foreign.ts';
import { grantAccess } from '../../core/ops/grants.ts';
import type { OpDef } from '../../core/op.ts';
import { defineOp } from '../../core/op.ts';
import { finishHypercall } from './frontend.ts';
import { mappedGfns } from './map.ts';

/**
 * Where a grant or foreign map is aimed: when `atMapped` is drawn and the frontend holds a Map, at one
 * of the frontend's Mapped GFNs (the attacker's move); otherwise at `dom`'s RAM, as the core op aims.
 */
function aim(state: State, dom: number, atMapped: boolean, pick: number): { dom: number; gfn: number } | undefined {
  const frontend = state.virtio?.frontend;
  const mapped = frontend === undefined ? [] : mappedGfns(state, frontend);
  if (atMapped && mapped.length > 0 && isAlive(state, frontend!)) return { dom: frontend!, gfn: pickFrom(mapped, pick)! };
  const gfn = pickFrom(ramGfns(state, dom), pick);
  return gfn === undefined ? undefined : { dom, gfn };
}

/** `grantAccess`, also aimed at Mapped GFNs; a refusal on one is counted. */
const probeGrantAccess = defineOp({
  ...grantAccess,
  gen: { ...grantAccess.gen, atMapped: { kind: 'bool' } },
  resolve(state, raw) {
    if (!isAlive(state, raw.granter)) return null;
    const at = aim(state, raw.granter, raw.atMapped, raw.gfn);
    if (at === undefined) return null;
    const ref = state.domains[at.dom].grants.indexOf(null);
    if (ref < 0) return null;
    return { granter: at.dom, ref, grantee: raw.grantee, gfn: at.gfn, readonly: raw.readonly };
  },
  apply(state, a, ctx) {
    const mapped = state.domains[a.granter]?.p2m[a.gfn]?.map !== undefined;
    const r = grantAccess.apply(state, a, ctx);
    if (mapped && !r.ok) ctx.note('grant-of-mapped-page-refused');
    return r;
  },
});

/** `mapForeign`, also aimed at Mapped GFNs; a refusal on one is counted. */
const probeMapForeign = defineOp({
  ...mapForeign,
  gen: { ...mapForeign.gen, atMapped: { kind: 'bool' } },
  resolve(state, raw) {
    const caller = raw.caller;
    // A caller drawn as its own target maps its first real target instead: privileged pairs come up often.
    const drawn = raw.target === caller ? (state.domains[caller]?.targets[0] ?? caller) : raw.target;
    if (!isAlive(state, caller) || !isAlive(state, drawn)) return null;
    const at = aim(state, drawn, raw.atMapped, raw.gfn);
    const callerGfn = pickFrom(emptyGfns(state, caller), 0);
    if (at === undefined || at.dom === caller || callerGfn === undefined) return null;
    return { caller, target: at.dom, gfn: at.gfn, callerGfn };
  },
  apply(state, a, ctx) {
    const mapped = state.domains[a.target]?.p2m[a.gfn]?.map !== undefined;
    const r = mapForeign.apply(state, a, ctx);
    if (mapped && !r.ok) ctx.note('foreign-map-of-mapped-page-refused');
    return r;
  },
});

/** Wrap a core op with Xen's housekeeping after it: IOTLB flush, abandoned hypercalls of dead domains. */
export function withHousekeeping(op: OpDef): OpDef {
  return {
    ...op,
    apply(state, args, ctx) {
      const r = op.apply(state, args, ctx);
      const v = state.virtio;
      if (v !== undefined) {
        for (let slot = v.hypercalls.length - 1; slot >= 0; slot--) {
          if (state.domains[v.hypercalls[slot].dom].state !== 'alive') finishHypercall(state, slot);
        }
        // With flushes deferred (the iotlbFlush knob), the flush waits for iommuFlush or Revoke/Steal instead.
        if (state.iotlb === undefined) flushAndWait(state);
        else keepStartedCached(state);
      }
      return r;
    },
  };
}

/** The core operations for the virtio-GPU design, in core order. */
export const VIRTIO_CORE_OPS: readonly OpDef[] = CORE_OPS.map((op) =>
  withHousekeeping(op.name === 'grantAccess' ? probeGrantAccess : op.name === 'mapForeign' ? probeMapForeign : op),
);
