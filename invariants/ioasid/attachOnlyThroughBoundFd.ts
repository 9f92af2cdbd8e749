/**
 * attach-only-through-bound-fd (transition) — VFIO_ATTACH_IOASID succeeds only for an IOASID of the fd
 * the device is bound to, and KVM_MAP_PASID only for an fd the VM's own process owns; otherwise they
 * fail (and, by refused-op-changes-nothing, change nothing). Seed 001 §5.1: the device fd is bound to
 * one IOASID fd and attaches "by FD-local IOASID".
 * Check it alone: `npx shadowcheck fuzz --design ioasid-fd --invariant attach-only-through-bound-fd`
 */
import type { Principal } from '../../src/model/core/path.ts';
import type { TransitionInvariant, Witness } from '../types.ts';

/** An attach or KVM PASID map that succeeded through an fd it may not use. */
export interface AttachWitness extends Witness {
  reason: 'attached-through-foreign-fd' | 'kvm-mapped-foreign-fd';
  principal: Principal;
  expected: number;
  actual: number;
  dom: number;
}

export const attachOnlyThroughBoundFd: TransitionInvariant<AttachWitness> = {
  kind: 'transition',
  id: 'attach-only-through-bound-fd',
  title: "VFIO_ATTACH_IOASID and KVM_MAP_PASID succeed only through the device's bound fd or the VM process's own",
  category: 'security',
  rationale:
    "FD-local IOASID ids mean nothing outside their fd: an attach that resolves the id in another fd puts the device in someone else's address space.",
  source: 'seed 001: Kevin Tian 2021-06-01 (§5.1 VFIO_BIND_IOASID_FD, VFIO_ATTACH_IOASID; §5.5 KVM_MAP_PASID)',
  ops: ['attachIoasid', 'kvmMapPasid'],
  check(before, action, result) {
    const s = before.ioasid;
    if (!result.ok || s === undefined) return [];
    const fd = action.fd as number;
    if (action.op === 'attachIoasid') {
      const dev = s.devices.find((d) => d.name === action.device);
      if (dev === undefined || dev.boundFd === fd) return [];
      return [{ reason: 'attached-through-foreign-fd', principal: { kind: 'device', dom: dev.owner, device: dev.name }, expected: dev.boundFd, actual: fd, dom: dev.owner }];
    }
    const owner = s.fds[fd]?.owner ?? -1;
    const proc = action.proc as number;
    return owner === proc ? [] : [{ reason: 'kvm-mapped-foreign-fd', principal: { kind: 'cpu', dom: proc }, expected: proc, actual: owner, dom: proc }];
  },
  describe: (w) =>
    w.reason === 'attached-through-foreign-fd'
      ? `a device of dom${w.dom} bound to fd${w.expected} was attached to an IOASID of fd${w.actual}`
      : `KVM_MAP_PASID for dom${w.dom}'s VM succeeded through an fd of dom${w.actual}`,
};
