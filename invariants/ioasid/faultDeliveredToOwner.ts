/**
 * fault-delivered-to-owner (transition) — a page request from device D is queued only on D's bound fd,
 * labelled with D and the IOASID it faulted in; a response completes only the fault it answers; faults
 * pending when an IOASID or PASID is freed are drained, never left for the next owner of the id. Seed
 * 001 §5.6, with Jason Gunthorpe: "rid should be translated to a labeled device" and "resuming a fault
 * on an ioasid will resume all devices pending on the fault?".
 * Check it alone: `npx shadowcheck fuzz --design ioasid-fd --invariant fault-delivered-to-owner`
 */
import type { IoasidState, PendingFault } from '../../src/model/ioasid/state.ts';
import { hex } from '../../src/model/core/words.ts';
import type { TransitionInvariant, Witness } from '../types.ts';

/** A pending fault queued or kept wrongly, or a response that completed more (or other) than it answered. */
export interface FaultWitness extends Witness {
  reason: 'fault-not-on-bound-fd' | 'fault-for-freed-id' | 'response-completed-other-faults';
  actual: PendingFault | PendingFault[];
  expected: string;
}

/** Why a pending fault is wrongly placed, or undefined. */
function misplaced(s: IoasidState, p: PendingFault): FaultWitness['reason'] | undefined {
  const dev = s.devices.find((d) => d.name === p.device);
  if (dev === undefined || dev.boundFd !== p.fd || dev.label !== p.label) return 'fault-not-on-bound-fd';
  if (s.fds[p.fd]?.ioasids[p.ioasid] == null) return 'fault-for-freed-id';
  if (p.pasid >= 0 && !dev.pasids.some((x) => x.host === p.pasid && x.fd === p.fd && x.ioasid === p.ioasid)) return 'fault-for-freed-id';
  return undefined;
}

export const faultDeliveredToOwner: TransitionInvariant<FaultWitness> = {
  kind: 'transition',
  id: 'fault-delivered-to-owner',
  title: "page requests queue on the device's bound fd, responses complete only their fault, and freeing drains",
  category: 'security',
  rationale:
    "A fault left on a freed IOASID or host PASID is answered by whoever gets the id next, resuming another process's device; a response keyed by IOASID resumes devices whose faults nobody fixed.",
  source: 'seed 001: Kevin Tian 2021-06-01 (§5.6) and Jason Gunthorpe 2021-05-28 (device label; resume all devices?)',
  ops: ['devicePageRequest', 'faultRespond', 'ioasidFree', 'detachIoasid', 'ioasidClose', 'attachIoasid', 'ioasidAlloc', 'createNesting', 'bindIoasidFd'],
  check(before, action, result, after) {
    const s = after.state.ioasid;
    if (!result.ok || s === undefined) return [];
    const out: FaultWitness[] = [];
    for (const p of s.pendingFaults) {
      const why = misplaced(s, p);
      if (why !== undefined) out.push({ reason: why, principal: { kind: 'device', dom: s.devices.find((d) => d.name === p.device)?.owner ?? -1, device: p.device }, actual: p, expected: `pending on fd${p.fd} of ${p.device}'s live IOASID ${p.ioasid}` });
    }
    if (action.op === 'faultRespond') {
      const gone = (before.ioasid?.pendingFaults ?? []).filter((p) => !s.pendingFaults.includes(p));
      if (gone.length > 1 || gone.some((p) => p.label !== action.key || p.iova !== action.iova)) {
        out.push({ reason: 'response-completed-other-faults', principal: { kind: 'cpu', dom: s.fds[action.fd as number]?.owner ?? -1 }, actual: gone, expected: `only the fault of label ${String(action.key)} at iova ${String(action.iova)}` });
      }
    }
    return out;
  },
  describe: (w) => {
    if (w.reason === 'response-completed-other-faults') {
      const gone = w.actual as PendingFault[];
      return `one response completed ${gone.length} pending fault(s) (${gone.map((p) => `${p.device} iova ${hex(p.iova)}`).join(', ')}), ${w.expected}`;
    }
    const p = w.actual as PendingFault;
    return w.reason === 'fault-not-on-bound-fd'
      ? `a page request of ${p.device} (iova ${hex(p.iova)}) is pending on fd${p.fd}, not its bound fd or label`
      : `a page request of ${p.device} (iova ${hex(p.iova)}) is pending on fd${p.fd} IOASID ${p.ioasid}${p.pasid >= 0 ? ` PASID ${p.pasid}` : ''}, which was freed`;
  },
};
