/**
 * fault-after-revoke (functional) — a frontend CPU access to a revoked GFN (one the IOREQ server's fault
 * range set holds, with nothing mapped there since) is not an access: it faults, and the fault reaches the
 * backend as an IOREQ_TYPE_FAULT. "Once access is revoked, further accesses by the frontend will cause a
 * fault that the backend can intercept"; Roger Pau Monné: "a rangeset on the ioreq to signal the accesses
 * that should trigger a IOREQ_TYPE_FAULT" (seed 004, 2025-02-02 and 2025-02-06). Device DMA to a revoked
 * GFN is an IOMMU fault, which Xen does not forward as an IOREQ; revoke-leaves-no-access covers it.
 * Check it alone: `npx shadowcheck fuzz --design virtio-gpu-primitives --invariant fault-after-revoke`
 */
import { hex } from '../../src/model/core/words.ts';
import type { HolderWitness, TransitionInvariant } from '../types.ts';
import type { ArgsOf } from '../../src/model/core/op.ts';
import type { frontendAccess } from '../../src/model/virtio/ops/frontend.ts';

/** An access to a revoked GFN that got through, or faulted without the backend hearing of it. */
export interface FaultAfterRevokeWitness extends HolderWitness<'ioreqFaultRange', 'revoked-gfn-accessed' | 'fault-not-delivered'> {
  dom: number;
}

export const faultAfterRevoke: TransitionInvariant<FaultAfterRevokeWitness, ArgsOf<typeof frontendAccess>> = {
  kind: 'transition',
  id: 'fault-after-revoke',
  title: 'a frontend access to a revoked GFN faults, and the fault is delivered to the backend',
  category: 'functional',
  rationale:
    'The backend relies on seeing the fault (to re-Map on demand, or to report the guest); an access that silently succeeds, or a fault nobody hears of, breaks the protocol.',
  source: 'seed 004: Demi Marie Obenour 2025-02-02 (Revoke); Roger Pau Monné 2025-02-06 (IOREQ_TYPE_FAULT, range set)',
  ops: ['frontendAccess'],
  check(before, action, result, after) {
    const v = before.virtio;
    const dom = action.dom;
    const gfn = action.gfn;
    if (v === undefined || dom !== v.frontend || !v.faultRanges.includes(gfn) || before.domains[dom].p2m[gfn] !== null) return [];
    const holder = { via: 'ioreqFaultRange', dom, gfn } as const;
    if (result.ok) return [{ reason: 'revoked-gfn-accessed', dom, holder, expected: 'fault', actual: result.value ?? 'ok' }];
    const got = after.state.virtio?.ioreqs ?? [];
    const last = got[got.length - 1];
    if (got.length === v.ioreqs.length + 1 && last.type === 'fault' && last.dom === dom && last.gfn === gfn) return [];
    return [{ reason: 'fault-not-delivered', dom, holder, expected: 'IOREQ_TYPE_FAULT to the backend', actual: got.length === v.ioreqs.length || last === undefined ? 'none' : `${last.type} for gfn ${hex(last.gfn)}` }];
  },
  describe: (w) =>
    w.reason === 'revoked-gfn-accessed'
      ? `dom${w.dom} accessed revoked gfn ${hex(w.holder.gfn)} and got through`
      : `dom${w.dom}'s access to revoked gfn ${hex(w.holder.gfn)} faulted but the backend got ${String(w.actual)}`,
};
