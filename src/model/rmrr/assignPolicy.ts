/**
 * The assignment policy of seed 003 as one flat predicate: given the state before an `assignDevice`,
 * must the assignment fail? It is the specification the layered implementations (libxl's checks, then
 * Xen's) are judged against by `assign-refused-exactly-on-policy`, so it is written independently of
 * them: every rule that applies is listed, in no particular layer.
 */
import type { DomId, State } from '../core/state.ts';
import { isAlive } from '../core/lookup.ts';
import { classifyRmrrGfn, deviceRmrrGfns, findDevice, sharersOf } from './rmrr.ts';

/** Why an assignment must fail. */
export type PolicyRule =
  | 'no-platform'
  | 'no-such-device'
  | 'domain-not-running'
  | 'hardware-domain'
  | 'device-already-assigned'
  | 'rmrr-not-reserved'
  | 'rmrr-shared'
  | 'rmrr-conflict';

/** The verdict: the assignment must fail exactly when `rules` is not empty. */
export interface PolicyJudgement {
  mustFail: boolean;
  rules: PolicyRule[];
}

/** Judge assigning device `name` to `dom` in `state` under the platform's policy. */
export function judgeAssignment(state: State, dom: DomId, name: string): PolicyJudgement {
  const p = state.platform;
  if (p === undefined) return { mustFail: true, rules: ['no-platform'] };
  const dev = findDevice(p, name);
  if (dev === undefined) return { mustFail: true, rules: ['no-such-device'] };
  const rules: PolicyRule[] = [];
  if (!isAlive(state, dom)) rules.push('domain-not-running');
  if (dom === p.hwdom) rules.push('hardware-domain');
  if (dev.owner !== null && dev.owner !== p.hwdom) rules.push('device-already-assigned');
  if (rules.length > 0) return { mustFail: true, rules };
  // George Dunlap: a device with RMRRs the VM did not reserve at creation must not be assigned.
  const asked = p.domains[dom].reservation?.rmrrs ?? [];
  if (p.policy.requireReservation && dev.rmrrs.some((r) => !asked.includes(r))) rules.push('rmrr-not-reserved');
  // §3.8: devices sharing an RMRR are denied unless the user overrides it.
  if (p.policy.sharedRmrr === 'deny' && sharersOf(p, dev).length > 0) rules.push('rmrr-shared');
  // §3.2/§3.3: another mapping at an RMRR GFN is a conflict; 'fail' (default) refuses, 'warn' goes on.
  if (p.policy.rmrrConflict === 'fail' && deviceRmrrGfns(p, dev).some((g) => classifyRmrrGfn(state, dom, g) === 'other')) {
    rules.push('rmrr-conflict');
  }
  return { mustFail: rules.length > 0, rules };
}
