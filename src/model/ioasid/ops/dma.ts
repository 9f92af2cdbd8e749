/**
 * Device DMA in the IOASID model: a device is programmed to DMA (it stays in flight) and performs it
 * later through whatever its context is then; an mdev's parent driver pins a page through the IOASID
 * (an "access") and DMAs by host address. A pdev's DMA is performed by the core's device-DMA model
 * (core/device: IOTLB, then the walk), in the slice context deviceContext.ts gives it.
 */
import { isAlive, pickFrom } from '../../core/lookup.ts';
import { defineOp, fail, okValue, OK } from '../../core/op.ts';
import { chargeOf, mayCharge } from '../accounting.ts';
import { ioasidConfig } from '../knobs.ts';
import { pin } from '../kernel.ts';
import { findDevice, groupMembers, IOVA_PAGES, liveIoasid, MAX_INFLIGHT, ridContext } from '../lookup.ts';
import { performDma } from '../../core/device/translate.ts';
import { ioasidDmaContext } from '../deviceContext.ts';
import { hit, walkIoasid, walkRequest } from '../translate.ts';
import { pickDevice } from './args.ts';

/** The owner programs a pdev to DMA (performed later by ioDma). */
export const programIoDma = defineOp({
  name: 'programIoDma',
  actor: 'device',
  weight: 2,
  doc: 'the owner programs pdev device to DMA to iova, with PASID pasid (-1: none); performed later by ioDma',
  gen: { device: { kind: 'pick' }, pasid: { kind: 'pick' }, iova: { kind: 'int', max: () => IOVA_PAGES - 1 }, write: { kind: 'bool' }, tagged: { kind: 'bool' } },
  resolve(state, raw) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : pickDevice(s, raw.device, (d) => d.kind === 'pdev');
    if (dev === undefined) return null;
    const pasid = raw.tagged ? (pickFrom(dev.pasids, raw.pasid)?.vpasid ?? raw.pasid % 2) : -1;
    return { device: dev.name, pasid, iova: raw.iova, write: raw.write };
  },
  enabled: () => true,
  apply(state, { device, pasid, iova, write }) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : findDevice(s, device);
    if (dev === undefined || dev.kind !== 'pdev') return fail('ENOENT');
    if (!isAlive(state, dev.owner)) return fail('ESRCH');
    if (!Number.isInteger(iova) || iova < 0 || iova >= IOVA_PAGES || !Number.isInteger(pasid) || pasid < -1) return fail('EINVAL');
    if (dev.inflight.length >= MAX_INFLIGHT) return fail('EBUSY');
    dev.inflight = [...dev.inflight, Object.freeze({ by: dev.owner, pasid, iova, write })];
    return OK;
  },
});

/** The device performs its oldest programmed DMA through its context now (EFAULT: the IOMMU faulted). */
export const ioDma = defineOp({
  name: 'ioDma',
  actor: 'device',
  weight: 2,
  doc: 'pdev device performs its oldest programmed DMA, walking whatever its context is now (EFAULT: the IOMMU faulted)',
  gen: { device: { kind: 'pick' } },
  resolve(state, raw) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : pickDevice(s, raw.device, (d) => d.inflight.length > 0);
    return dev === undefined ? null : { device: dev.name };
  },
  enabled: () => true,
  apply(state, { device }, ctx) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : findDevice(s, device);
    if (s === undefined || dev === undefined || dev.inflight.length === 0) return fail('ENOENT');
    const [x, ...rest] = dev.inflight;
    dev.inflight = rest;
    // Performed by the core's one device-DMA path: the IOTLB first, then this slice's walk.
    const t = performDma(state, ioasidDmaContext(s, dev, x.pasid), x.iova, { kind: 'device', dom: x.by, device: dev.name }, ctx);
    if (t !== undefined) return okValue(t.mfn);
    const w = walkRequest(state, s, dev, x.pasid, x.iova);
    // A group member with no context while some member is attached: the partly attached group is refused DMA.
    if (x.pasid < 0 && dev.group >= 0 && ridContext(s, dev) === null && groupMembers(s, dev).some((m) => m.rid !== null)) ctx.note('partial-group-dma-refused');
    if (!hit(w) && w.miss === 'stage1-names-unmapped-gpa') ctx.note('stage1-names-unmapped-gpa-faulted');
    return fail('EFAULT');
  },
});

/** Most access pins one mdev holds. */
const MAX_PINS = 2;

/** An mdev's parent driver pins the page behind `iova` of the root IOASID its access is attached to. */
export const accessPin = defineOp({
  name: 'accessPin',
  actor: 'device',
  weight: 2,
  doc: "mdev device's parent driver pins the page behind iova through the root IOASID it is attached to, then DMAs to it by host address",
  gen: { device: { kind: 'pick' }, iova: { kind: 'pick' } },
  resolve(state, raw) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : pickDevice(s, raw.device, (d) => d.kind === 'mdev');
    if (dev === undefined) return null;
    const mapped: number[] = [];
    if (dev.rid !== null) liveIoasid(s!, dev.rid.fd, dev.rid.ioasid)?.maps.forEach((e, i) => e !== null && mapped.push(i));
    return { device: dev.name, iova: mapped.length > 0 ? mapped[raw.iova % mapped.length] : raw.iova % IOVA_PAGES };
  },
  enabled: () => true,
  apply(state, { device, iova }, ctx) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : findDevice(s, device);
    if (s === undefined || dev === undefined || dev.kind !== 'mdev') return fail('ENOENT');
    if (dev.rid === null) return fail('EINVAL');
    const { fd, ioasid } = dev.rid;
    if (liveIoasid(s, fd, ioasid)?.parent !== -1) return fail('EINVAL');
    if (dev.pins.length >= MAX_PINS || dev.pins.some((p) => p.iova === iova && p.fd === fd && p.ioasid === ioasid)) return fail('EBUSY');
    const w = walkIoasid(state, s, fd, ioasid, iova);
    // A BAR page has no struct page for the parent driver to pin (vfio_pin_pages refuses it).
    if (!hit(w) || state.frames[w.mfn]?.kind === 'mmio') return fail('EFAULT');
    const p = Object.freeze({ fd, ioasid, iova, mfn: w.mfn, gen: w.gen });
    const cfg = ioasidConfig(ctx.knobs);
    const f = s.fds[fd]!;
    const devices = s.devices.map((d) => (d === dev ? { ...d, pins: [...d.pins, p] } : d));
    const delta = chargeOf(f, fd, devices, cfg.accounting) - chargeOf(f, fd, s.devices, cfg.accounting);
    if (!mayCharge(s, f.owner, delta)) {
      ctx.note('memlock-limit-refused');
      return fail('ENOMEM');
    }
    pin(state, p.mfn);
    dev.pins = [...dev.pins, p];
    f.lockedPages += delta;
    return okValue(p.mfn);
  },
});
