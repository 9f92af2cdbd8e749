/**
 * Devices and their attachments (seed 001 §5.1–5.5): the toolstack gives a device to a process,
 * VFIO_BIND_IOASID_FD binds the device fd to an IOASID fd, VFIO_ATTACH_IOASID / IOASID_ATTACH_USER_PASID
 * attach its RID or a vPASID to an IOASID of that fd, VFIO_DETACH_IOASID takes it off again.
 */
import { defineOp, fail, OK, okValue } from '../../core/op.ts';
import { isAlive } from '../../core/lookup.ts';
import { ioasidConfig } from '../knobs.ts';
import { detachPasid, detachRid, retargetGroup, settleFd, syncShadow } from '../kernel.ts';
import { findDevice, groupMembers, groupWhole, HOST_PASIDS, liveFd, liveIoasid, TABLE_ENTRIES } from '../lookup.ts';
import type { IoasidState, IoDevice } from '../state.ts';
import { isVmm, pickDevice, pickFd, pickIoasid } from './args.ts';

/** The toolstack gives an unbound device to a process. */
export const assignDeviceToProcess = defineOp({
  name: 'assignDeviceToProcess',
  actor: 'toolstack',
  weight: 2,
  doc: 'the toolstack gives device to process proc (only while the device is unbound; with deviceModel=group-fd its whole IOMMU group, only while no member is bound)',
  gen: { device: { kind: 'pick' }, proc: { kind: 'dom' }, away: { kind: 'bool' } },
  resolve(state, raw) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : (pickDevice(s, raw.device, (d) => d.boundFd < 0) ?? pickDevice(s, raw.device));
    if (dev === undefined) return null;
    // Away: to another VMM process than the owner, as a toolstack splitting a group would.
    const others = state.domains.filter((d) => isVmm(state, d.id) && d.id !== dev.owner).map((d) => d.id);
    const proc = raw.away && others.length > 0 ? others[raw.proc % others.length] : raw.proc;
    return isVmm(state, proc) ? { device: dev.name, proc } : null;
  },
  enabled: () => true,
  apply(state, { device, proc }, ctx) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : findDevice(s, device);
    if (s === undefined || dev === undefined) return fail('ENOENT');
    if (!isVmm(state, proc)) return fail('ESRCH');
    // group-fd: the group fd is what a process opens, so the whole group changes hands, or none of it.
    const moving = ioasidConfig(ctx.knobs).deviceModel === 'group-fd' ? groupMembers(s, dev) : [dev];
    if (moving.some((m) => m.boundFd >= 0)) return fail('EBUSY');
    for (const m of moving) m.owner = proc;
    return OK;
  },
});

/** VFIO_BIND_IOASID_FD: EPERM unless the fd's owner owns the device, EBUSY if already bound. */
export const bindIoasidFd = defineOp({
  name: 'bindIoasidFd',
  actor: 'backend',
  weight: 2,
  doc: "VFIO_BIND_IOASID_FD: bind device to IOASID fd fd (its owner must own the device; with deviceModel=group-fd every member of its group is bound with it); answers the device's fault label",
  gen: { device: { kind: 'pick' }, fd: { kind: 'pick' } },
  resolve(state, raw) {
    const s = state.ioasid;
    if (s === undefined) return null;
    const dev = pickDevice(s, raw.device, (d) => d.boundFd < 0);
    const fd = pickFd(s, raw.fd);
    return dev === undefined || fd === undefined ? null : { device: dev.name, fd };
  },
  enabled: () => true,
  apply(state, { device, fd }, ctx) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : findDevice(s, device);
    const f = s === undefined ? undefined : liveFd(s, fd);
    if (s === undefined || dev === undefined || f === undefined) return fail('ENOENT');
    // group-fd: the device fd comes from its group fd, and VFIO binds the group as a unit (its ownership
    // is the group's, so no member can be another process's); device-fd binds one device.
    const unit = ioasidConfig(ctx.knobs).deviceModel === 'group-fd' ? groupMembers(s, dev) : [dev];
    if (unit.some((m) => m.owner !== f.owner)) {
      ctx.note('bind-unowned-device-refused');
      return fail('EPERM');
    }
    if (unit.some((m) => m.boundFd >= 0)) return fail('EBUSY');
    if (unit.length > 1) ctx.note('group-bound-as-unit');
    for (const m of unit) {
      m.boundFd = fd;
      m.label = s.nextLabel++;
      // Binding resets the device: a page request interface a FAILURE response stopped runs again.
      m.priStopped = false;
    }
    return okValue(dev.label);
  },
});

/** Whether `target` (same fd) is nested on the IOASID a device's RID is attached to: §5.3's "still attached to the parent". */
function nestsOnCurrent(s: IoasidState, dev: IoDevice, fd: number, target: number): boolean {
  return dev.rid !== null && dev.rid.fd === fd && liveIoasid(s, fd, target)?.parent === dev.rid.ioasid;
}

/**
 * Why a RID attach of `dev` to (fd, ioasid) is refused, or undefined. A device attached elsewhere must
 * be detached first (§5.2), except onto a child of its current IOASID (§5.3). Under reject-partial a
 * group member another process owns makes the group unattachable.
 */
function ridRefusal(s: IoasidState, dev: IoDevice, fd: number, ioasid: number, groupPolicy: string): 'EBUSY' | 'EPERM' | undefined {
  if (dev.rid !== null && !nestsOnCurrent(s, dev, fd, ioasid)) return 'EBUSY';
  if (groupPolicy === 'reject-partial' && groupMembers(s, dev).some((m) => m.owner !== dev.owner)) return 'EPERM';
  return undefined;
}

/** VFIO_ATTACH_IOASID (vpasid -1) or IOASID_ATTACH_USER_PASID (vpasid ≥ 0). */
export const attachIoasid = defineOp({
  name: 'attachIoasid',
  actor: 'backend',
  weight: 4,
  doc: "VFIO_ATTACH_IOASID: attach device's RID (vpasid -1) or a vPASID to IOASID ioasid of fd fd, which must be the fd the device is bound to",
  gen: {
    device: { kind: 'pick' },
    otherFd: { kind: 'bool' },
    fd: { kind: 'pick' },
    ioasid: { kind: 'pick' },
    vpasid: { kind: 'int', max: () => 2 },
    rid: { kind: 'bool' },
  },
  resolve(state, raw) {
    const s = state.ioasid;
    if (s === undefined) return null;
    // When `otherFd` is drawn, a bound device an attach elsewhere can move: one not attached yet, or — for a
    // vPASID attach — one that takes PASIDs (a second address space needs no detach first).
    const movable = (d: IoDevice) => d.boundFd >= 0 && (d.rid === null || (!raw.rid && d.pasidCapable));
    const dev = (raw.otherFd ? pickDevice(s, raw.device, movable) : undefined) ?? pickDevice(s, raw.device, (d) => d.boundFd >= 0);
    if (dev === undefined) return null;
    // The bound fd, as a correct VMM names it; or another open fd with an IOASID, as a wrong or hostile one would.
    const others = s.fds.map((f, i) => (f !== null && i !== dev.boundFd && f.ioasids.some((a) => a !== null) ? i : -1)).filter((i) => i >= 0);
    const fd = raw.otherFd && others.length > 0 ? others[raw.fd % others.length] : dev.boundFd;
    // Children of the IOASID the RID is on come first: §5.3-5.7 attach onto a nested IOASID.
    const here = dev.rid !== null && dev.rid.fd === fd ? dev.rid.ioasid : -1;
    // Newest first: a space just created is the one a VMM goes on to attach.
    const kids = here < 0 ? [] : liveFd(s, fd)!.ioasids.map((a, i) => (a !== null && a.parent === here ? i : -1)).filter((i) => i >= 0).reverse();
    // Mostly a vPASID the device does not use yet (a used one is refused EEXIST; drawn as it comes otherwise).
    const free = [0, 1, 2].filter((v) => !dev.pasids.some((p) => p.vpasid === v));
    const vpasid = raw.rid || !dev.pasidCapable ? -1 : free.length > 0 && raw.vpasid < 2 ? free[raw.vpasid % free.length] : raw.vpasid;
    // A vPASID goes on a GVA space (§5.5): one of the fd's, when it has any.
    const gvas = liveFd(s, fd)!.ioasids.map((a, i) => (a?.kind === 'gva' ? i : -1)).filter((i) => i >= 0);
    const ioasid =
      vpasid >= 0 && gvas.length > 0
        ? gvas[raw.ioasid % gvas.length]
        : kids.length > 0 && raw.ioasid % 2 === 0
          ? kids[(raw.ioasid >> 1) % kids.length]
          : pickIoasid(s, fd, raw.ioasid);
    return { device: dev.name, fd, ioasid, vpasid };
  },
  enabled: () => true,
  apply(state, { device, fd, ioasid, vpasid }, ctx) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : findDevice(s, device);
    if (s === undefined || dev === undefined) return fail('ENOENT');
    const cfg = ioasidConfig(ctx.knobs);
    if (dev.boundFd < 0 || !isAlive(state, dev.owner)) return fail('EINVAL');
    if (cfg.attachCheck === 'bound-fd' && fd !== dev.boundFd) {
      ctx.note('attach-to-other-fd-refused');
      return fail('EPERM');
    }
    const target = liveIoasid(s, fd, ioasid);
    if (target === undefined) return fail('ENOENT');
    if (vpasid < 0) {
      const err = ridRefusal(s, dev, fd, ioasid, cfg.groupPolicy);
      // A group partly owned by another process is refused outright: its DMA would cross processes.
      if (err === 'EPERM') ctx.note('partial-group-dma-refused');
      if (err !== undefined) return fail(err);
      dev.rid = Object.freeze({ fd, ioasid });
      retargetGroup(s, dev, cfg);
      if (dev.group >= 0 && !groupWhole(s, dev)) ctx.note('partial-group-attach');
    } else {
      if (!dev.pasidCapable || dev.kind === 'mdev') return fail('EOPNOTSUPP');
      if (!Number.isInteger(vpasid) || vpasid >= TABLE_ENTRIES || target.kind !== 'gva') return fail('EINVAL');
      if (dev.pasids.some((p) => p.vpasid === vpasid)) return fail('EEXIST');
      const host = s.hostPasids.indexOf(null);
      if (host < 0 || host >= HOST_PASIDS) return fail('ENOSPC');
      if ((s.hostPasidAllocs[host] ?? 0) > 0) ctx.note('pasid-reused');
      if (s.devices.some((d) => d.pasids.some((p) => p.fd === fd && p.ioasid === ioasid && p.vpasid !== vpasid))) ctx.note('same-ioasid-two-vpasids');
      s.hostPasids[host] = Object.freeze({ fd, ioasid });
      s.hostPasidAllocs[host] = (s.hostPasidAllocs[host] ?? 0) + 1;
      dev.pasids = [...dev.pasids, Object.freeze({ vpasid, fd, ioasid, host })];
    }
    if (cfg.shadowUpdate === 'on-child-op' && target.parent >= 0) syncShadow(liveFd(s, fd)!, ioasid);
    settleFd(state, s, fd, cfg);
    return OK;
  },
});

/** VFIO_DETACH_IOASID: take device's RID (vpasid -1) or a vPASID off its IOASID. */
export const detachIoasid = defineOp({
  name: 'detachIoasid',
  actor: 'backend',
  doc: "VFIO_DETACH_IOASID: detach device's RID (vpasid -1) or a vPASID; DMA in flight through it is waited for first",
  gen: { device: { kind: 'pick' }, vpasid: { kind: 'pick' }, rid: { kind: 'bool' } },
  resolve(state, raw) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : pickDevice(s, raw.device, (d) => d.rid !== null || d.pasids.length > 0);
    if (dev === undefined) return null;
    const p = dev.pasids.length > 0 ? dev.pasids[raw.vpasid % dev.pasids.length].vpasid : -1;
    return { device: dev.name, vpasid: (raw.rid && dev.rid !== null) || p < 0 ? -1 : p };
  },
  enabled: () => true,
  apply(state, { device, vpasid }, ctx) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : findDevice(s, device);
    if (s === undefined || dev === undefined) return fail('ENOENT');
    const cfg = ioasidConfig(ctx.knobs);
    if (vpasid < 0) {
      if (dev.rid === null) return fail('ENOENT');
      const fd = dev.rid.fd;
      detachRid(state, s, dev, cfg, ctx);
      settleFd(state, s, fd, cfg);
      return OK;
    }
    if (!dev.pasids.some((p) => p.vpasid === vpasid)) return fail('ENOENT');
    detachPasid(s, dev, vpasid, cfg, ctx);
    return OK;
  },
});
