/**
 * Device assignment: `assignDevice` (libxl_device_pci_add, at creation for a statically configured
 * device or hot-plugged into a running guest) and `deassignDevice`. Assignment runs the layers in
 * order — Xen's preconditions, libxl's checks, Xen's own check, Xen's identity mapping — and changes
 * nothing unless all agree. Before handing a device to a new domain the toolstack resets it, which
 * drops whatever DMA it was still told to do; deassignment has no such barrier: DMA programmed before
 * it may arrive after, through whatever context the design moved the device to.
 */
import { isAlive, pickFrom } from '../../core/lookup.ts';
import type { PciDevice, Platform } from '../platform.ts';
import { findDevice } from '../rmrr.ts';
import type { DomId, State } from '../../core/state.ts';
import type { OpContext, OpDef, OpResult } from '../../core/op.ts';
import { defineOp, fail, OK } from '../../core/op.ts';
import { checkAssignable, moveDevice } from './hypervisor.ts';
import type { RmrrSemantics } from './semantics.ts';
import { ruleOf } from '../../core/ruleSet.ts';
import { RMRR_RULES } from '../rules.ts';

/** Assign device `name` to `dom` under a design's layers. */
export function assignDevice(sem: RmrrSemantics, state: State, dom: DomId, name: string, ctx: OpContext): OpResult {
  const p = state.platform;
  if (p === undefined) return fail('EOPNOTSUPP');
  const dev = findDevice(p, name);
  if (dev === undefined) return fail('ENOENT');
  const refused =
    checkAssignable(state, p, dom, dev) ?? sem.toolstackCheck(p, dom, dev, ctx) ?? sem.hypervisorCheck(p, dev, ctx);
  if (refused !== undefined) return refused;
  const mapped = sem.mapRmrrs(state, p, dom, dev, p.policy.rmrrConflict, ctx);
  if (!mapped.ok) return mapped;
  if (dev.inflight.length > 0) {
    ctx.note('reset-dropped-inflight-dma');
    dev.inflight = [];
  }
  moveDevice(state, p, dev, dom);
  ctx.note(p.domains[dom].static.includes(p.devices.indexOf(dev)) ? 'static-assignment' : 'hotplug-assignment');
  return OK;
}

/** Take a device away from its guest: to the hardware domain's context or to quarantine, per the design. */
export function releaseDevice(sem: RmrrSemantics, state: State, p: Platform, dev: PciDevice, ctx: OpContext): void {
  if (dev.inflight.length > 0) ctx.note('deassign-with-dma-in-flight');
  if (ruleOf(RMRR_RULES, ctx, 'deassignTo')(state, p, dev) === 'quarantine') {
    moveDevice(state, p, dev, 'quarantine');
    return;
  }
  // Giving a device back cannot fail; the hardware domain's RMRR GFNs are reserved, so a conflict
  // there is only warned about.
  sem.mapRmrrs(state, p, p.hwdom, dev, 'warn', ctx);
  moveDevice(state, p, dev, p.hwdom);
}

/** The device names, for argument resolution. */
function names(p: Platform, keep: (d: PciDevice) => boolean): string[] {
  return p.devices.filter(keep).map((d) => d.name);
}

/** `assignDevice` for a design. */
export function makeAssignDevice(sem: RmrrSemantics): OpDef {
  return defineOp({
    name: 'assignDevice',
    actor: 'toolstack',
    weight: 3,
    doc: 'toolstack assigns a PCI device to guest dom (libxl checks, then XEN_DOMCTL_assign_device identity-maps its RMRRs)',
    gen: { dom: { kind: 'dom' }, device: { kind: 'pick' } },
    resolve(state, raw) {
      const dom = raw.dom;
      const p = state.platform;
      if (p === undefined || !isAlive(state, dom) || dom === p.hwdom) return null;
      const device = pickFrom(names(p, () => true), raw.device);
      return device === undefined ? null : { dom, device };
    },
    enabled: (state, a) => isAlive(state, a.dom),
    apply: (state, { dom, device }, ctx) => assignDevice(sem, state, dom, device, ctx),
  });
}

/** `deassignDevice` for a design. */
export function makeDeassignDevice(sem: RmrrSemantics): OpDef {
  return defineOp({
    name: 'deassignDevice',
    actor: 'toolstack',
    doc: 'toolstack takes a device back from its guest (XEN_DOMCTL_deassign_device); its RMRRs are unmapped there',
    gen: { device: { kind: 'pick' } },
    resolve(state, raw) {
      const p = state.platform;
      if (p === undefined) return null;
      const device = pickFrom(names(p, (d) => d.owner !== null && d.owner !== p.hwdom), raw.device);
      return device === undefined ? null : { device };
    },
    enabled: () => true,
    apply(state, { device }, ctx) {
      const p = state.platform;
      if (p === undefined) return fail('EOPNOTSUPP');
      const dev = findDevice(p, device);
      if (dev === undefined) return fail('ENOENT');
      if (dev.owner === null || dev.owner === p.hwdom) return fail('EINVAL');
      releaseDevice(sem, state, p, dev, ctx);
      return OK;
    },
  });
}
