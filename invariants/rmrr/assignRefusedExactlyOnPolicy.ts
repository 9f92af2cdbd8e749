/**
 * assign-refused-exactly-on-policy (transition) — `assignDevice` returns an error, and changes
 * nothing, exactly when the policy in force says the assignment must fail: unreserved RMRRs (when
 * reservation is required), an RMRR shared with another device (sharedRmrr=deny), an RMRR GFN
 * occupied by another mapping (rmrrConflict=fail), or a device or domain that cannot take part.
 * Seed 003 §3.3 (the policies) and George Dunlap's amendments; the predicate is src/model/assignPolicy.ts.
 * Check it alone: `npx shadowcheck fuzz --invariant assign-refused-exactly-on-policy`
 */
import { judgeAssignment } from '../../src/model/rmrr/assignPolicy.ts';
import { stateDifference } from '../../src/model/core/equal.ts';
import type { HolderWitness, TransitionInvariant } from '../types.ts';

/** An assignment whose answer disagrees with the policy, or a refused one that changed the state. */
export interface AssignPolicyWitness extends HolderWitness<'device', 'assigned-against-policy' | 'refused-against-policy' | 'refused-but-changed'> {
  dom: number;
}

export const assignRefusedExactlyOnPolicy: TransitionInvariant<AssignPolicyWitness, { dom: number; device: string }> = {
  kind: 'transition',
  id: 'assign-refused-exactly-on-policy',
  title: 'assignDevice fails, changing nothing, exactly when the policy says it must',
  category: 'security',
  rationale:
    'An assignment the policy forbids (over guest RAM, of a shared RMRR) breaks isolation or the device; one it allows but that fails is a regression (Guideline-1/2); a refusal that half-happened leaves identity maps or contexts behind.',
  source: 'seed 003: Kevin Tian §3.3 (warn in user space, fail/warn in Xen), George Dunlap (reserve at creation, deny sharing)',
  ops: ['assignDevice'],
  check(before, action, result, after) {
    const dom = action.dom;
    const device = action.device;
    const j = judgeAssignment(before, dom, device);
    const out: AssignPolicyWitness[] = [];
    if (j.mustFail && result.ok) out.push({ reason: 'assigned-against-policy', dom, expected: j.rules, actual: 'ok', holder: { via: 'device', device } });
    if (!j.mustFail && !result.ok) out.push({ reason: 'refused-against-policy', dom, expected: 'ok', actual: result.err, holder: { via: 'device', device } });
    if (!result.ok) {
      const changed = stateDifference(before, after.state);
      if (changed !== undefined) out.push({ reason: 'refused-but-changed', dom, expected: 'no change', actual: changed, holder: { via: 'device', device } });
    }
    return out;
  },
  describe(w) {
    const dev = w.holder.device;
    if (w.reason === 'assigned-against-policy') return `${dev} was assigned to dom${w.dom} although the policy refuses it (${(w.expected as string[]).join(', ')})`;
    if (w.reason === 'refused-against-policy') return `assigning ${dev} to dom${w.dom} failed with ${w.actual} although the policy allows it`;
    return `a refused assignment of ${dev} to dom${w.dom} still changed ${w.actual}`;
  },
};
