/**
 * vSVA through KVM (seed 001 §5.5): for an ENQCMD-capable mdev, the VMM asks KVM to map a guest PASID
 * to an IOASID (KVM_MAP_PASID, naming the IOASID fd), and the guest submits work with ENQCMD: the CPU
 * translates its guest PASID through KVM's table and the mdev DMAs through that IOASID.
 */
import { defineOp, fail, OK, okValue } from '../../core/op.ts';
import { ioasidConfig } from '../knobs.ts';
import { findDevice, IOVA_PAGES, liveIoasid, TABLE_ENTRIES } from '../lookup.ts';
import { hit, walkIoasid } from '../translate.ts';
import { isVmm, pickDevice, pickFd, pickIoasid } from './args.ts';

/** KVM_MAP_PASID: checked — the fd is the VM process's own, holds the IOASID, and is its ENQCMD device's bound fd. */
export const kvmMapPasid = defineOp({
  name: 'kvmMapPasid',
  actor: 'backend',
  weight: 1,
  doc: "KVM_MAP_PASID: map guest PASID guestPasid of VM process proc to IOASID ioasid of fd fd (proc's own, the one its ENQCMD device is bound to)",
  gen: { proc: { kind: 'dom' }, fd: { kind: 'pick' }, ioasid: { kind: 'pick' }, guestPasid: { kind: 'int', max: () => 3 } },
  resolve(state, raw) {
    const s = state.ioasid;
    const fd = s === undefined ? undefined : pickFd(s, raw.fd);
    if (s === undefined || fd === undefined || !isVmm(state, raw.proc)) return null;
    return { proc: raw.proc, fd, ioasid: pickIoasid(s, fd, raw.ioasid), guestPasid: raw.guestPasid };
  },
  enabled: () => true,
  apply(state, { proc, fd, ioasid, guestPasid }, ctx) {
    const s = state.ioasid;
    if (s === undefined) return fail('EOPNOTSUPP');
    if (!isVmm(state, proc)) return fail('ESRCH');
    if (!Number.isInteger(guestPasid) || guestPasid < 0 || guestPasid >= TABLE_ENTRIES) return fail('EINVAL');
    const a = liveIoasid(s, fd, ioasid);
    if (a === undefined) return fail('ENOENT');
    const cfg = ioasidConfig(ctx.knobs);
    // Checked: the fd is the VM process's own, and the one its ENQCMD-capable device is bound to.
    const served = s.devices.some((d) => d.enqcmdCapable && d.owner === proc && d.boundFd === fd);
    if (cfg.kvmMapPasidCheck && (s.fds[fd]!.owner !== proc || !served)) {
      ctx.note('kvm-map-pasid-refused');
      return fail('EPERM');
    }
    const list = s.kvmPasid[proc] ?? [];
    if (list.some((k) => k.guestPasid === guestPasid)) return fail('EEXIST');
    s.kvmPasid = { ...s.kvmPasid, [proc]: [...list, Object.freeze({ guestPasid, fd, ioasid })] };
    return OK;
  },
});

/** The guest submits a descriptor with ENQCMD: KVM's PASID table routes it, the mdev DMAs (EFAULT: unmapped PASID or address). */
export const enqcmd = defineOp({
  name: 'enqcmd',
  actor: 'guest',
  weight: 1,
  doc: "the guest of VMM process proc issues ENQCMD to mdev with guest PASID guestPasid for iova: KVM's PASID table routes it (EFAULT when the PASID or address is unmapped)",
  gen: { device: { kind: 'pick' }, guestPasid: { kind: 'int', max: () => 3 }, iova: { kind: 'int', max: () => IOVA_PAGES - 1 } },
  resolve(state, raw) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : pickDevice(s, raw.device, (d) => d.enqcmdCapable);
    return dev === undefined ? null : { proc: dev.owner, device: dev.name, guestPasid: raw.guestPasid, iova: raw.iova };
  },
  enabled: () => true,
  apply(state, { proc, device, guestPasid, iova }, ctx) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : findDevice(s, device);
    if (s === undefined || dev === undefined || !dev.enqcmdCapable) return fail('ENOENT');
    if (dev.owner !== proc || !isVmm(state, proc)) return fail('EPERM');
    const k = (s.kvmPasid[proc] ?? []).find((x) => x.guestPasid === guestPasid);
    const w = k === undefined ? undefined : walkIoasid(state, s, k.fd, k.ioasid, iova);
    if (w === undefined || !hit(w)) {
      ctx.note('enqcmd-unmapped-pasid-faulted');
      return fail('EFAULT');
    }
    return okValue(w.mfn);
  },
});
