/**
 * What an adversarial frontend does with a Mapped range (seed 004): touch it with its CPU (an access to
 * an `mmio_dm` GFN becomes an IOREQ_TYPE_COPY to the backend; to a revoked GFN an IOREQ_TYPE_FAULT,
 * Roger Pau Monné 2025-02-06), DMA to it with its passthrough device, and use it as a hypercall
 * buffer — which must fail "as if the frontend did not have the pages" (Demi Marie Obenour 2025-02-02).
 * Hypercalls and DMAs stay in flight across steps, from start to finish.
 */
import { getRef, putRef } from '../../core/frames.ts';
import { isAlive, pickFrom, ramGfns } from '../../core/lookup.ts';
import type { State } from '../../core/state.ts';
import { performDma, translateDma } from '../../core/device/translate.ts';
import { contextKey, walkContext } from '../../core/device/context.ts';
import { frontendDeviceContext } from '../maps.ts';
import { mappedGfns } from './map.ts';
import { virtioConfig } from '../knobs.ts';
import { defineOp, fail, OK, okValue } from '../../core/op.ts';

/** How many hypercalls, and how many DMAs, may be in flight at once (vCPUs and queue depth, kept small). */
export const MAX_IN_FLIGHT = 4;

/** The frontend's GFNs an attacker would aim at: Mapped ones, revoked ones still empty, then its RAM. */
function targetGfns(state: State, dom: number): number[] {
  const v = state.virtio!;
  const p2m = state.domains[dom].p2m;
  const revoked = dom === v.frontend ? v.faultRanges.filter((g) => p2m[g] === null) : [];
  return [...mappedGfns(state, dom), ...revoked, ...ramGfns(state, dom)];
}

/** The frontend's CPU reads or writes one of its GFNs. */
export const frontendAccess = defineOp({
  name: 'frontendAccess',
  actor: 'guest',
  weight: 3,
  doc: 'frontend CPU accesses gfn: its frame if mapped; an IOREQ copy for mmio_dm; an IOREQ fault in the revoked range',
  gen: { gfn: { kind: 'pick' }, write: { kind: 'bool' } },
  resolve(state, raw) {
    const v = state.virtio;
    if (v === undefined || !isAlive(state, v.frontend)) return null;
    const gfn = pickFrom(targetGfns(state, v.frontend), raw.gfn);
    return gfn === undefined ? null : { dom: v.frontend, gfn, write: raw.write };
  },
  enabled: (state, a) => isAlive(state, a.dom),
  apply(state, { dom, gfn, write }, ctx) {
    const v = state.virtio;
    if (v === undefined) return fail('EOPNOTSUPP');
    if (dom !== v.frontend) return fail('EINVAL');
    if (!isAlive(state, dom)) return fail('ESRCH');
    const p2m = state.domains[dom].p2m;
    if (!Number.isInteger(gfn) || gfn < 0 || gfn >= p2m.length) return fail('EINVAL');
    const e = p2m[gfn];
    if (e === null) {
      // Nothing mapped: a GFN in the fault range set traps to the backend; any other hole just faults.
      // An unpopulating Revoke leaves a plain hole: Xen forwards nothing, whatever range the backend set.
      if (!v.faultRanges.includes(gfn) || virtioConfig(ctx.knobs).revoke === 'unpopulate') return fail('EFAULT');
      v.ioreqs.push({ type: 'fault', dom, gfn });
      ctx.note('fault-after-revoke-delivered');
      return fail('EFAULT');
    }
    if (e.type === 'mmio_dm') {
      v.ioreqs.push({ type: 'copy', dom, gfn });
      ctx.note('ioreq-copy-delivered');
      return OK;
    }
    if (write && (e.type === 'ram_ro' || e.type === 'grant_map_ro')) return fail('EACCES');
    return okValue(e.mfn);
  },
});

/** The frontend's passthrough device starts a DMA to bus frame `bfn` (its GFN, under shared EPT). */
export const deviceDmaStart = defineOp({
  name: 'deviceDmaStart',
  actor: 'device',
  weight: 3,
  doc: "frontend's passthrough device starts a DMA through its IOMMU (shared EPT) to bfn; it stays in flight",
  gen: { bfn: { kind: 'pick' }, write: { kind: 'bool' } },
  resolve(state, raw) {
    const v = state.virtio;
    const dev = v?.devices[0];
    if (dev === undefined || !isAlive(state, dev.dom)) return null;
    // With flushes deferred, the driver may also reuse a bus address whose unmap is not flushed yet:
    // those come first, as an attacker would aim at them.
    const c = frontendDeviceContext(dev.dom);
    const stale = (state.iotlb?.contexts[contextKey(c)] ?? []).filter((e) => walkContext(state, c, e.bfn)?.mfn !== e.mfn).map((e) => e.bfn);
    const bfn = pickFrom([...stale, ...targetGfns(state, dev.dom)], raw.bfn);
    return bfn === undefined ? null : { dom: dev.dom, bfn, write: raw.write };
  },
  enabled: (state, a) => isAlive(state, a.dom),
  apply(state, { dom, bfn, write }, ctx) {
    const v = state.virtio;
    const dev = v?.devices.find((d) => d.dom === dom);
    if (v === undefined || dev === undefined) return fail('ENOENT');
    if (!isAlive(state, dom)) return fail('ESRCH');
    // The one device-DMA path: the IOTLB's cached translation if any, else the shared-EPT walk.
    const c = frontendDeviceContext(dom);
    const t = translateDma(state, c, bfn);
    if (t === undefined || (write && !t.write)) {
      if (v.faultRanges.includes(bfn)) ctx.note('dma-to-revoked-gfn-faulted');
      return fail('EFAULT');
    }
    if (v.dmas.length >= MAX_IN_FLIGHT) return fail('EBUSY');
    performDma(state, c, bfn, { kind: 'device', dom, device: dev.name }, ctx);
    v.dmas.push({ by: dom, device: dev.name, bfn, mfn: t.mfn, gen: t.gen, write });
    const e = state.domains[dom].p2m[bfn];
    if (e?.map !== undefined && e.mfn === t.mfn) ctx.note('dma-in-flight-on-mapped-page');
    return okValue(t.mfn);
  },
});

/** A DMA in flight completes. */
export const deviceDmaFinish = defineOp({
  name: 'deviceDmaFinish',
  actor: 'device',
  doc: 'a DMA in flight completes',
  gen: { dma: { kind: 'pick' } },
  resolve(state, raw) {
    const n = state.virtio?.dmas.length ?? 0;
    return n === 0 ? null : { index: Math.abs(raw.dma) % n };
  },
  enabled: () => true,
  apply(state, { index }) {
    const v = state.virtio;
    if (v === undefined || v.dmas[index] === undefined) return fail('ENOENT');
    v.dmas.splice(index, 1);
    return OK;
  },
});

/**
 * A domain starts a hypercall that uses its `gfn` as a buffer. Xen takes the page (get_page_from_gfn)
 * only for its RAM: every other p2m type fails as if the page were not there.
 */
export const hypercallStart = defineOp({
  name: 'hypercallStart',
  actor: 'guest',
  weight: 3,
  doc: 'dom starts a hypercall with its gfn as buffer (only its RAM is accepted); it stays in flight',
  gen: { dom: { kind: 'dom' }, gfn: { kind: 'pick' }, write: { kind: 'bool' } },
  resolve(state, raw) {
    const v = state.virtio;
    if (v === undefined) return null;
    // Mostly the frontend; the third domain (which onward Maps reach) otherwise.
    const dom = isAlive(state, raw.dom) && raw.dom !== v.backend ? raw.dom : v.frontend;
    if (!isAlive(state, dom)) return null;
    const gfn = pickFrom(targetGfns(state, dom), raw.gfn);
    return gfn === undefined ? null : { dom, gfn, write: raw.write };
  },
  enabled: (state, a) => isAlive(state, a.dom),
  apply(state, { dom, gfn, write }, ctx) {
    const v = state.virtio;
    if (v === undefined) return fail('EOPNOTSUPP');
    if (!isAlive(state, dom)) return fail('ESRCH');
    const e = state.domains[dom].p2m[gfn];
    const usable = e !== null && e !== undefined && (e.type === 'ram_rw' || (e.type === 'ram_ro' && !write));
    if (!usable) {
      if (e?.map !== undefined) ctx.note('hypercall-on-mapped-page-refused');
      return fail('EFAULT');
    }
    if (v.hypercalls.length >= MAX_IN_FLIGHT) return fail('EBUSY');
    const counted = state.frames[e.mfn].kind === 'ram';
    if (counted) getRef(state, e.mfn);
    v.hypercalls.push({ dom, gfn, mfn: e.mfn, gen: e.gen, write, counted });
    return okValue(v.hypercalls.length - 1);
  },
});

/** Finish the hypercall in flight at `slot`, dropping its page reference. */
export function finishHypercall(state: State, slot: number): void {
  const v = state.virtio!;
  const h = v.hypercalls[slot];
  v.hypercalls.splice(slot, 1);
  if (h.counted) putRef(state, h.mfn);
}

/** A hypercall in flight finishes. */
export const hypercallFinish = defineOp({
  name: 'hypercallFinish',
  actor: 'guest',
  doc: 'a hypercall in flight finishes and Xen drops its page reference',
  gen: { call: { kind: 'pick' } },
  resolve(state, raw) {
    const n = state.virtio?.hypercalls.length ?? 0;
    return n === 0 ? null : { slot: Math.abs(raw.call) % n };
  },
  enabled: () => true,
  apply(state, { slot }) {
    const v = state.virtio;
    if (v === undefined || !Number.isInteger(slot) || v.hypercalls[slot] === undefined) return fail('ENOENT');
    finishHypercall(state, slot);
    return OK;
  },
});
