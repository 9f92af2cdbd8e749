/**
 * The core operations as the virtio-GPU design runs them, with two differences:
 *  - `grantAccess` and `mapForeign` are also aimed at Mapped GFNs (the frontend granting, or a
 *    privileged domain foreign-mapping, what the backend Mapped) so the fuzzer tries what the thread
 *    forbids; the core checks (RAM p2m types only) decide, and refusals are counted.
 *  - after every core operation, Xen's own housekeeping: the IOTLB flush that follows a p2m change waits for
 *    the DMAs it invalidates, and a destroyed domain's hypercalls in flight are abandoned, dropping their
 *    page references (a dying domain's vCPUs are paused before its memory is torn down).
 */
import { emptyGfns, isAlive, pickFrom, ramGfns } from '../model/lookup.ts';
import type { State } from '../model/state.ts';
import { flushIotlb } from '../model/virtio.ts';
import { CORE_OPS } from './coreOps.ts';
import { mapForeign } from './foreign.ts';
import { grantAccess } from './grants.ts';
import type { OpDef } from './types.ts';
import { defineOp } from './types.ts';
import { finishHypercall } from './virtioFrontend.ts';
import { mappedGfns } from './virtioMap.ts';

/**
 * What a grant or foreign map may be aimed at: a domain's RAM GFNs and those holding a Map. The
 * frontend's Mapped GFNs come first (an attacker aims there); for other domains, their RAM does.
 */
function shareableOrMapped(state: State, dom: number): number[] {
  const ram = ramGfns(state, dom);
  const mapped = mappedGfns(state, dom);
  return dom === state.virtio?.frontend ? [...mapped, ...ram] : [...ram, ...mapped];
}

/** `grantAccess`, also aimed at Mapped GFNs; a refusal on one is counted. */
const probeGrantAccess = defineOp<{ granter: number; ref: number; grantee: number; gfn: number; readonly: boolean }>({
  ...(grantAccess as unknown as OpDef<{ granter: number; ref: number; grantee: number; gfn: number; readonly: boolean }>),
  weight: 3,
  resolve(state, raw) {
    const granter = raw.granter as number;
    if (!isAlive(state, granter)) return null;
    const gfn = pickFrom(shareableOrMapped(state, granter), raw.gfn as number);
    const ref = state.domains[granter].grants.indexOf(null);
    if (gfn === undefined || ref < 0) return null;
    return { granter, ref, grantee: raw.grantee as number, gfn, readonly: raw.readonly as boolean };
  },
  apply(state, a, ctx) {
    const mapped = state.domains[a.granter]?.p2m[a.gfn]?.map !== undefined;
    const r = grantAccess.apply(state, a, ctx);
    if (mapped && !r.ok) ctx.note('grant-of-mapped-page-refused');
    return r;
  },
});

/** `mapForeign`, also aimed at Mapped GFNs; a refusal on one is counted. */
const probeMapForeign = defineOp<{ caller: number; target: number; gfn: number; callerGfn: number }>({
  ...(mapForeign as unknown as OpDef<{ caller: number; target: number; gfn: number; callerGfn: number }>),
  weight: 3,
  resolve(state, raw) {
    const caller = raw.caller as number;
    // A caller drawn as its own target maps its first real target instead: privileged pairs come up often.
    const target = raw.target === caller ? (state.domains[caller]?.targets[0] ?? caller) : (raw.target as number);
    if (!isAlive(state, caller) || !isAlive(state, target) || caller === target) return null;
    const gfn = pickFrom(shareableOrMapped(state, target), raw.gfn as number);
    const callerGfn = pickFrom(emptyGfns(state, caller), 0);
    if (gfn === undefined || callerGfn === undefined) return null;
    return { caller, target, gfn, callerGfn };
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
        flushIotlb(state);
      }
      return r;
    },
  };
}

/** The core operations for the virtio-GPU design, in core order. */
export const VIRTIO_CORE_OPS: readonly OpDef[] = CORE_OPS.map((op) =>
  withHousekeeping(op.name === 'grantAccess' ? probeGrantAccess : op.name === 'mapForeign' ? probeMapForeign : op),
);
