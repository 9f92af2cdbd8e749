/**
 * refused-op-changes-nothing (transition, every op) — when an operation answers an errno, the state
 * after it equals the state before it (the step clock aside): a refusal is Hyperkernel's
 * `If(cond, new, old)`, never half an update. It watches every op of every design, so a refusal path
 * that mutates before it checks is caught wherever it is, not only where an op-specific invariant looks.
 * EFAULT from an access op is not a refusal: the access — a CPU touch, a device DMA, a GPU command —
 * was performed and hit no translation, so its effects stand (the IOREQ_TYPE_FAULT delivered to the
 * backend, the DMA or command consumed). Those ops are named in ACCESS_OPS, so the exemption stays
 * reviewable and an EFAULT from any other op (a hypercall, say) is held to the rule like any errno.
 * ERESTART is not a refusal either: a preempted phased handler's work so far stands and its
 * continuation resumes it. Check it alone: `npx shadowcheck fuzz --invariant refused-op-changes-nothing`
 */
import { stateDifference } from '../../src/model/core/equal.ts';
import type { TransitionInvariant } from '../types.ts';

/** The ops whose EFAULT reports a performed access that faulted, not a refusal. */
export const ACCESS_OPS: ReadonlySet<string> = new Set(['frontendAccess', 'deviceDma', 'gpuComplete', 'ioDma']);

export const refusedOpChangesNothing: TransitionInvariant = {
  kind: 'transition',
  id: 'refused-op-changes-nothing',
  title: 'An operation that answers an error changes nothing',
  category: 'functional',
  rationale:
    'Callers treat an errno as "nothing happened": a toolstack retries, a guest falls back. A refusal that already took a reference, moved quota or cleared an entry leaves state no caller knows about, which every accounting invariant then has to explain.',
  source: 'Hyperkernel (hv6/spec/kernel/spec/specs.py: return cond, If(cond, new, old)); issue 9 item 6',
  ops: 'every',
  check(before, action, result, after) {
    // ERESTART is a preempted handler (src/model/core/phase.ts), not a refusal: its work so far stands.
    if (result.ok || result.err === 'ERESTART' || (result.err === 'EFAULT' && ACCESS_OPS.has(action.op))) return [];
    const changed = stateDifference(before, after.state);
    if (changed === undefined) return [];
    return [{ reason: 'refused-op-changed-state', expected: 'no change', actual: { op: action.op, err: result.err, changed } }];
  },
  describe(w) {
    const a = w.actual as { op: string; err: string; changed: string };
    return `${a.op} answered ${a.err} but changed the state at ${a.changed}`;
  },
};
