/**
 * The toolstack's (libxl's) checks before it asks Xen to assign a device. George Dunlap's amendments
 * in seed 003: "If a user tries to assign a device with RMRRs to a VM that has not reserved those
 * ranges at creation time, the assignment should fail. The main place this checking should happen is
 * in the toolstack (libxl) [...] a sensible error message to the user, which may include things they
 * can do to fix the problem"; and devices sharing an RMRR are denied "first in the toolstack and as a
 * fall-back in the hypervisor", with an option to override.
 */
import type { PciDevice, Platform } from '../platform.ts';
import { sharersOf } from '../rmrr.ts';
import type { DomId } from '../../core/state.ts';
import type { OpContext, OpResult } from '../../core/op.ts';
import { fail } from '../../core/op.ts';

/** The RMRRs of `dev` that `dom` was not built to reserve. */
export function unreservedRmrrs(p: Platform, dom: DomId, dev: PciDevice): number[] {
  const asked = p.domains[dom].reservation?.rmrrs ?? [];
  return dev.rmrrs.filter((r) => !asked.includes(r));
}

/** libxl's reservation check: refuse, saying how to fix it, when the device's RMRRs were not reserved. */
export function libxlReservationCheck(p: Platform, dom: DomId, dev: PciDevice, ctx: OpContext): OpResult | undefined {
  if (!p.policy.requireReservation) return undefined;
  const missing = unreservedRmrrs(p, dom, dev);
  if (missing.length === 0) return undefined;
  ctx.note('unreserved-assignment-refused');
  ctx.warn(
    `libxl: error: ${dev.name} uses RMRR ${missing.map((r) => `r${r}`).join(', ')}, which dom${dom} did not reserve at creation; ` +
      `to fix: recreate the domain with ${dev.name} in its pci= list, or with the host layout mirrored (rdm strategy=host), or with the range listed to reserve`,
  );
  return fail('EPERM');
}

/** The sharing check, in libxl or (as a fall-back) in Xen: deny by default, warn when overridden. */
export function sharedRmrrCheck(p: Platform, dev: PciDevice, ctx: OpContext, who: 'libxl' | 'Xen'): OpResult | undefined {
  const sharers = sharersOf(p, dev);
  if (sharers.length === 0) return undefined;
  const names = sharers.map((s) => s.name).join(', ');
  if (p.policy.sharedRmrr === 'deny') {
    ctx.note('shared-rmrr-assignment-refused');
    ctx.warn(`${who}: ${dev.name} shares an RMRR with ${names}; assignment denied (override: sharedRmrr=allow)`);
    return fail('EPERM');
  }
  ctx.warn(`${who}: ${dev.name} shares an RMRR with ${names}; assigning anyway because sharedRmrr=allow`);
  return undefined;
}
