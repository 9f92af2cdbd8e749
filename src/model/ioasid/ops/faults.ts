/**
 * I/O page faults (seed 001 §5.6): the host IOMMU driver receives a page request {rid, pasid, addr} on a
 * miss, saves it, and links a user fault record to the fd's ring; the VMM completes it with a response.
 * Jason: "rid should be translated to a labeled device and return the device label from
 * VFIO_BIND_IOASID_FD" — the default key; the RFC draft keyed the response by IOASID, which "will
 * resume all devices pending on the fault" (faultKey=ioasid). The response carries a code (§5.6: "converts
 * virtual completion data into (ioasid, response_code)"); what each code does is Linux's ⟨outside⟩.
 */
import { defineOp, fail, OK } from '../../core/op.ts';
import type { OpContext } from '../../core/op.ts';
import { pickFrom } from '../../core/lookup.ts';
import { ioasidConfig } from '../knobs.ts';
import { drainFaults } from '../kernel.ts';
import { findDevice, IOVA_PAGES, liveFd, RING_SIZE } from '../lookup.ts';
import { hit, walkRequest } from '../translate.ts';
import type { IoasidState, IoDevice, PageResponseCode, PendingFault } from '../state.ts';
import { pickDevice, pickFd } from './args.ts';

/** A fault-capable device's page request on a miss: queued on the fd of the IOASID it faulted in. */
export const devicePageRequest = defineOp({
  name: 'devicePageRequest',
  actor: 'device',
  weight: 2,
  doc: 'fault-capable device raises a page request for iova (PASID pasid, -1: none) that missed; it is queued on the fd of the IOASID it faulted in',
  gen: { device: { kind: 'pick' }, pasid: { kind: 'pick' }, iova: { kind: 'int', max: () => IOVA_PAGES - 1 }, tagged: { kind: 'bool' } },
  resolve(state, raw) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : pickDevice(s, raw.device, (d) => d.faultCapable);
    if (dev === undefined) return null;
    const pasid = raw.tagged ? (pickFrom(dev.pasids, raw.pasid)?.vpasid ?? -1) : -1;
    // An address that misses, mostly: a page request is what a miss raises.
    const misses = Array.from({ length: IOVA_PAGES }, (_, i) => i).filter((i) => !hit(walkRequest(state, s!, dev, pasid, i)));
    return { device: dev.name, pasid, iova: misses.length > 0 && raw.iova % 4 !== 0 ? misses[raw.iova % misses.length] : raw.iova };
  },
  enabled: () => true,
  apply(state, { device, pasid, iova }, ctx) {
    const s = state.ioasid;
    const dev = s === undefined ? undefined : findDevice(s, device);
    if (s === undefined || dev === undefined) return fail('ENOENT');
    if (!dev.faultCapable) return fail('EOPNOTSUPP');
    if (dev.priStopped) {
      ctx.note('page-request-after-failure-dropped');
      return fail('EOPNOTSUPP');
    }
    const w = walkRequest(state, s, dev, pasid, iova);
    if (hit(w)) return fail('EEXIST');
    const f = liveFd(s, w.fd);
    if (f === undefined) return fail('EFAULT');
    if (f.ring.length >= RING_SIZE) return fail('ENOSPC');
    // The request carries the device's host PASID only when that PASID is bound where the fault happened:
    // a miss walked through the guest's bound PASID table faults in another IOASID than the vPASID's.
    const own = pasid < 0 ? undefined : dev.pasids.find((p) => p.vpasid === pasid)?.host;
    const bound = own === undefined ? undefined : s.hostPasids[own];
    const host = own !== undefined && bound !== null && bound !== undefined && bound.fd === w.fd && bound.ioasid === w.ioasid ? own : -1;
    const cfg = ioasidConfig(ctx.knobs);
    const fault = Object.freeze({ device, pasid: host, iova, fd: w.fd, ioasid: w.ioasid, label: dev.label });
    s.pendingFaults = [...s.pendingFaults, fault];
    f.ring = [...f.ring, Object.freeze({ key: cfg.faultKey === 'device-label' ? dev.label : w.ioasid, iova })];
    ctx.note('page-request-queued');
    return OK;
  },
});

/** Response codes as generated: mostly SUCCESS, the VMM's usual answer once the guest fixed its table. */
const CODES: readonly PageResponseCode[] = ['success', 'success', 'invalid', 'failure'];

/**
 * What a response code does to the device of a completed fault (Linux's iommu_page_response codes):
 * SUCCESS — the page is there now, the device retries its DMA; INVALID — it is not and will not be, the
 * device's request fails and the DMA waiting on it is aborted; FAILURE — a general error, after which
 * the device's page requests are dropped until it is reset.
 */
function respond(s: IoasidState, p: PendingFault, code: PageResponseCode, ctx: OpContext): void {
  const dev = findDevice(s, p.device);
  if (dev === undefined || code === 'success') return;
  if (code === 'failure') {
    ctx.note('fault-response-failure');
    dev.priStopped = true;
    return;
  }
  ctx.note('fault-response-invalid');
  const host = (vpasid: number) => dev.pasids.find((x) => x.vpasid === vpasid)?.host ?? -1;
  const waiting = (x: IoDevice['inflight'][number]) => x.iova === p.iova && (p.pasid < 0 || host(x.pasid) === p.pasid);
  if (!dev.inflight.some(waiting)) return;
  ctx.note('fault-response-invalid-aborted-dma');
  dev.inflight = dev.inflight.filter((x) => !waiting(x));
}

/** The VMM completes a fault: by device label (one fault), or by IOASID (every device pending on it), with a response code. */
export const faultRespond = defineOp({
  name: 'faultRespond',
  actor: 'backend',
  doc: "the VMM answers the fault ring record ring of fd fd with response code code (success, invalid, failure); the kernel completes the pending fault(s) that record's key names",
  gen: { fd: { kind: 'pick' }, ring: { kind: 'pick' }, code: { kind: 'int', max: () => CODES.length - 1 } },
  resolve(state, raw) {
    const s = state.ioasid;
    const fd = s === undefined ? undefined : pickFd(s, raw.fd);
    const f = fd === undefined ? undefined : liveFd(s!, fd);
    if (f === undefined || f.ring.length === 0) return null;
    const r = f.ring[raw.ring % f.ring.length];
    return { fd: fd!, key: r.key, iova: r.iova, code: CODES[raw.code] };
  },
  enabled: () => true,
  apply(state, { fd, key, iova, code }, ctx) {
    const s = state.ioasid;
    const f = s === undefined ? undefined : liveFd(s, fd);
    if (s === undefined || f === undefined) return fail('ENOENT');
    if (!CODES.includes(code as PageResponseCode)) return fail('EINVAL');
    if (!f.ring.some((r) => r.key === key && r.iova === iova)) return fail('ENOENT');
    const cfg = ioasidConfig(ctx.knobs);
    let done: PendingFault[];
    if (cfg.faultKey === 'device-label') {
      const first = s.pendingFaults.find((p) => p.fd === fd && p.label === key && p.iova === iova);
      done = first === undefined ? [] : [first];
      if (first === undefined) {
        f.ring = f.ring.filter((r) => !(r.key === key && r.iova === iova));
      } else {
        drainFaults(s, (p) => p === first);
      }
    } else {
      // The saved fault data is looked up by IOASID: every fault pending on it is resumed.
      done = s.pendingFaults.filter((p) => p.fd === fd && p.ioasid === key);
      f.ring = f.ring.filter((r) => r.key !== key);
      s.pendingFaults = s.pendingFaults.filter((p) => !(p.fd === fd && p.ioasid === key));
    }
    for (const p of done) respond(s, p, code as PageResponseCode, ctx);
    ctx.note('fault-response');
    return OK;
  },
});
