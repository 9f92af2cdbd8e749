/**
 * Xen's side of device assignment (XEN_DOMCTL_assign_device / deassign_device): identity-mapping a
 * device's RMRRs into the domain that gets it, moving the device's IOMMU context, and cleaning the
 * RMRRs out of the domain it left. Seed 003 §3.2 (2): whatever user space did, Xen does the last,
 * conservative check when it sets up the identity map —
 *   gfn unoccupied            → insert the identity map; no conflict
 *   identity map already      → do nothing; no conflict
 *   any other mapping         → conflict: fail (default) or warn (the USB case), a boot option (§3.3).
 * The 2014 code (Issue-1, Issue-2) is here too: no conflict detection, and under shared EPT no identity
 * map at all — only a separate IOMMU got one, in its own tables.
 */
import type { DeviceContext, PciDevice, Platform } from '../platform.ts';
import { classifyRmrrGfn, deviceRmrrGfns, domainUsesRmrr, isIdentityEntry, rmrrGfns } from '../rmrr.ts';
import { isAlive } from '../../core/lookup.ts';
import type { DomId, State } from '../../core/state.ts';
import type { OpContext, OpResult } from '../../core/op.ts';
import { fail, OK } from '../../core/op.ts';

/** Xen's own preconditions for assigning `dev` to `dom`: a running guest, and a device nobody else holds. */
export function checkAssignable(state: State, p: Platform, dom: DomId, dev: PciDevice): OpResult | undefined {
  if (!isAlive(state, dom)) return fail('ESRCH');
  if (dom === p.hwdom) return fail('EINVAL');
  if (dev.owner !== null && dev.owner !== p.hwdom) return fail('EBUSY');
  return undefined;
}

/** Put the identity map of reserved frame `gfn` in `dom`'s p2m: a non-RAM type, no reference (not heap memory). */
export function insertIdentity(state: State, dom: DomId, gfn: number): void {
  state.domains[dom].p2m[gfn] = { mfn: gfn, type: 'mmio_direct', gen: state.frames[gfn].gen, counted: false };
}

/**
 * The v2 hypervisor: classify every GFN of the device's RMRRs in `dom`'s p2m first, and only then
 * change anything, so a refusal changes nothing. `onConflict` is the boot option in force.
 */
export function mapRmrrsChecked(state: State, p: Platform, dom: DomId, dev: PciDevice, onConflict: 'fail' | 'warn', ctx: OpContext): OpResult {
  const unoccupied: number[] = [];
  const conflicts: number[] = [];
  for (const gfn of deviceRmrrGfns(p, dev)) {
    const c = classifyRmrrGfn(state, dom, gfn);
    if (c === 'unoccupied') unoccupied.push(gfn);
    else if (c === 'other') conflicts.push(gfn);
  }
  if (conflicts.length > 0) {
    const where = conflicts.map((g) => `0x${g.toString(16)}`).join(', ');
    if (onConflict === 'fail') {
      ctx.note('conflicting-assignment-refused');
      ctx.warn(`Xen: RMRR of ${dev.name} conflicts with an existing mapping in dom${dom} at gfn ${where}; assignment refused`);
      return fail('EBUSY');
    }
    ctx.note('rmrr-conflict-warned');
    ctx.warn(`Xen: RMRR of ${dev.name} conflicts with an existing mapping in dom${dom} at gfn ${where}; not identity-mapped, assigning anyway (rmrrConflict=warn)`);
  }
  for (const gfn of unoccupied) insertIdentity(state, dom, gfn);
  return OK;
}

/**
 * The 2014 hypervisor: no conflict detection. Under shared EPT the IOMMU mapping call is a no-op, so
 * nothing is mapped (Issue-1); with a separate IOMMU the identity goes into the IOMMU tables only,
 * over whatever the p2m holds there (Issue-2).
 */
export function mapRmrrs2014(state: State, p: Platform, dom: DomId, dev: PciDevice): OpResult {
  if (p.iommuPt === 'shared-ept') return OK;
  const only = p.domains[dom].iommuOnly;
  for (const gfn of deviceRmrrGfns(p, dev)) {
    if (!only.some((x) => x.bfn === gfn)) only.push({ bfn: gfn, mfn: gfn, gen: state.frames[gfn].gen });
  }
  return OK;
}

/** Remove every mapping of RMRR `r` from `dom`: identity p2m entries and IOMMU-only entries. */
export function unmapRmrr(state: State, p: Platform, dom: DomId, r: number): void {
  const gfns = rmrrGfns(p.rmrrs[r]);
  const d = state.domains[dom];
  for (const gfn of gfns) if (isIdentityEntry(state, gfn, d.p2m[gfn])) d.p2m[gfn] = null;
  const dp = p.domains[dom];
  dp.iommuOnly = dp.iommuOnly.filter((x) => !gfns.includes(x.bfn));
}

/**
 * Move `dev` to a new owner and context, then clean up the domain it left: an RMRR no device of that
 * domain still uses is unmapped there (so an identity map lives exactly as long as a device needs it).
 */
export function moveDevice(state: State, p: Platform, dev: PciDevice, to: DeviceContext): void {
  const from = dev.owner;
  dev.owner = to === 'quarantine' ? null : to;
  dev.context = to;
  if (from === null || from === dev.owner || p.policy.unmapOnDeassign === false) return;
  for (const r of dev.rmrrs) if (!domainUsesRmrr(p, from, r)) unmapRmrr(state, p, from, r);
}
