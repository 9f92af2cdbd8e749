/**
 * The IOTLB's operations: Xen's deferred flush (`iommu_iotlb_flush_all` once the batch of unmaps is
 * done — seed 000's "flush the older ones lazily"), and a device or GPU using a translation it cached
 * before an unmap that has not been flushed yet (work queued before the unmap still runs).
 */
import { flushIotlb } from '../frames.ts';
import { pickFrom } from '../lookup.ts';
import { defineOp, fail, okValue } from '../op.ts';
import { contextKey, domainContext } from './context.ts';
import { cachedContexts } from './iotlb.ts';
import { performDma } from './translate.ts';

/** Xen flushes one context's IOTLB, then performs the put_page calls it held back for it. */
export const iommuFlush = defineOp({
  name: 'iommuFlush',
  actor: 'hypervisor',
  doc: "Xen flushes one IOMMU context's IOTLB (a deferred flush), then drops the page references it held back",
  gen: { ctx: { kind: 'pick' } },
  resolve(state, raw) {
    const key = pickFrom(cachedContexts(state), raw.ctx);
    return key === undefined ? null : { ctx: key };
  },
  enabled: () => true,
  apply(state, { ctx }, c) {
    if (state.iotlb === undefined) return fail('EOPNOTSUPP');
    if (typeof ctx !== 'string' || !cachedContexts(state).includes(ctx)) return fail('ENOENT');
    const held = state.iotlb.deferred.length;
    const dropped = flushIotlb(state, ctx);
    if (state.iotlb.deferred.length < held) c.note('flush-released-held-back-page');
    return okValue(dropped);
  },
});

/** The backend's cached translations, as (bfn, client) the GPU's queued work may still use. */
function gpuCached(state: Parameters<typeof iommuFlush.apply>[0]): { bfn: number; client: number }[] {
  const backend = state.gpu.backend;
  const key = contextKey(domainContext(state, backend));
  const entries = state.iotlb?.contexts[key] ?? [];
  const out: { bfn: number; client: number }[] = [];
  for (const e of entries) if (e.principal.kind === 'gpu' && e.principal.client !== undefined) out.push({ bfn: e.bfn, client: e.principal.client });
  return out;
}

/**
 * The GPU runs work queued before the device model's unmap: a DMA to a bus address the backend's IOTLB
 * still caches (whether or not the device model's table still names it).
 */
export const gpuQueuedDma = defineOp({
  name: 'gpuQueuedDma',
  actor: 'gpu',
  doc: "GPU runs a command queued before an unmap: DMA to a bus address through the backend's IOTLB",
  gen: { entry: { kind: 'pick' } },
  resolve(state, raw) {
    const e = pickFrom(gpuCached(state), raw.entry);
    return e === undefined ? null : e;
  },
  enabled: () => true,
  apply(state, { bfn, client }, ctx) {
    if (state.iotlb === undefined) return fail('EOPNOTSUPP');
    if (!gpuCached(state).some((e) => e.bfn === bfn && e.client === client)) return fail('ENOENT');
    const backend = state.gpu.backend;
    const t = performDma(state, domainContext(state, backend), bfn, { kind: 'gpu', dom: backend, client }, ctx);
    return t === undefined ? fail('EFAULT') : okValue(t.mfn);
  },
});

