/**
 * A device's DMA: the domain driving a device programs a transfer (a descriptor with a bus address),
 * and the device performs it later — through the IOMMU context it is in when it does, which after a
 * deassignment is no longer the programming domain's.
 */
import { performDma } from '../../core/device/translate.ts';
import { dmaPrincipal } from '../../core/device/dma.ts';
import { deviceContext } from '../deviceDma.ts';
import { isAlive, pickFrom } from '../../core/lookup.ts';
import { findDevice } from '../rmrr.ts';
import { defineOp, fail, OK, okValue } from '../../core/op.ts';

/** Transfers a device holds at once: enough for one to outlive a deassignment while another is queued. */
export const MAX_INFLIGHT = 2;

/** The owner of a device programs a DMA at bus address `bfn`. */
export const programDma = defineOp({
  name: 'programDma',
  actor: 'guest',
  weight: 3,
  doc: 'the domain driving a device programs it to DMA to bus address bfn (performed later by deviceDma)',
  gen: { device: { kind: 'pick' }, bfn: { kind: 'pick' }, write: { kind: 'bool' } },
  resolve(state, raw) {
    const p = state.platform;
    if (p === undefined) return null;
    const driven = p.devices.filter((d) => d.owner !== null && isAlive(state, d.owner));
    const dev = pickFrom(driven, raw.device);
    if (dev === undefined || dev.owner === null) return null;
    const mapped: number[] = [];
    state.domains[dev.owner].p2m.forEach((e, gfn) => {
      if (e !== null) mapped.push(gfn);
    });
    const bfn = pickFrom(mapped, raw.bfn) ?? 0;
    return { dom: dev.owner, device: dev.name, bfn, write: raw.write };
  },
  enabled: (state, a) => isAlive(state, a.dom),
  apply(state, { dom, device, bfn, write }) {
    const p = state.platform;
    if (p === undefined) return fail('EOPNOTSUPP');
    const dev = findDevice(p, device);
    if (dev === undefined) return fail('ENOENT');
    if (!isAlive(state, dom)) return fail('ESRCH');
    if (dev.owner !== dom) return fail('EPERM');
    if (!Number.isInteger(bfn) || bfn < 0 || bfn >= state.domains[dom].p2m.length) return fail('EINVAL');
    if (dev.inflight.length >= MAX_INFLIGHT) return fail('EBUSY');
    dev.inflight.push({ by: dom, device, bfn, write });
    return OK;
  },
});

/** The device performs its oldest programmed DMA through its current context (EFAULT: the IOMMU faulted). */
export const deviceDma = defineOp({
  name: 'deviceDma',
  actor: 'device',
  weight: 2,
  doc: 'a device performs its oldest programmed DMA through the IOMMU context it is in now',
  gen: { device: { kind: 'pick' } },
  resolve(state, raw) {
    const p = state.platform;
    if (p === undefined) return null;
    const dev = pickFrom(p.devices.filter((d) => d.inflight.length > 0), raw.device);
    return dev === undefined ? null : { device: dev.name };
  },
  enabled: () => true,
  apply(state, { device }, ctx) {
    const p = state.platform;
    if (p === undefined) return fail('EOPNOTSUPP');
    const dev = findDevice(p, device);
    if (dev === undefined || dev.inflight.length === 0) return fail('ENOENT');
    const f = dev.inflight.shift()!;
    const t = performDma(state, deviceContext(p, dev), f.bfn, dmaPrincipal(f), ctx);
    if (f.by !== dev.owner) ctx.note(t === undefined ? 'dma-after-deassign-faulted' : 'dma-after-deassign-landed');
    return t === undefined ? fail('EFAULT') : okValue(t.mfn);
  },
});
