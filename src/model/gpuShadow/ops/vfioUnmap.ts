/**
 * The VMM unmaps an IOVA range from the vGPU's vfio container (VFIO_IOMMU_UNMAP_DMA; QEMU does it when
 * a RAM region leaves the guest's address space). vfio calls the mdev's `dma_unmap`, KVMGT's
 * `intel_vgpu_dma_unmap` (torvalds/linux drivers/gpu/drm/i915/gvt/kvmgt.c): every cached DMA mapping of
 * a GFN in the range is unmapped and unpinned — `gvt_dma_unmap_page` and the cache entry removed,
 * whatever its kref — and nothing tells the shadows. A shadow entry then names a page no pin holds: the
 * next balloon-out frees it and the GPU still uses its address. KVMGT's IOVA is the guest physical
 * address, so the range is one of GFNs; the model unmaps one page at a time.
 */
import { putRef } from '../../core/frames.ts';
import { isAlive, pickFrom } from '../../core/lookup.ts';
import type { State } from '../../core/state.ts';
import type { OpContext } from '../../core/op.ts';
import { defineOp, fail, OK } from '../../core/op.ts';
import { gpuShadowConfig } from '../knobs.ts';
import { liveVgpuClients, vgpuOf } from '../shadow.ts';
import type { ShadowEntry } from '../state.ts';
import { dropEntries } from './deviceModel.ts';
import type { ShadowResolver } from './shadowResolver.ts';

/** The GFNs of `client` a pinned shadow entry translates, each once, GGTT first then PPGTT leaves. */
export function pinnedGfns(state: State, client: number): number[] {
  const out: number[] = [];
  const add = (e: ShadowEntry | null): void => {
    if (e !== null && e.pinned && e.client === client && !out.includes(e.gfn)) out.push(e.gfn);
  };
  const sh = state.gpu.shadow;
  if (sh === undefined) return out;
  for (const e of sh.ggtt) add(e);
  for (let dom = 0; dom < state.domains.length; dom++) {
    for (const p of sh.vgpus[dom]?.ppgtts ?? []) for (const pt of p?.pts ?? []) for (const e of pt?.entries ?? []) add(e);
  }
  return out;
}

/** The same entry, holding no pin: frozen like every shadow entry, replaced rather than edited. */
function unpinned(e: ShadowEntry): ShadowEntry {
  return Object.freeze({ gfn: e.gfn, addr: e.addr, addrKind: e.addrKind, gen: e.gen, client: e.client, pinned: false });
}

/**
 * intel_vgpu_dma_unmap over [lo, hi): drop the pin of every shadow entry translating one of `client`'s
 * GFNs there, leaving the entry — and the address the GPU uses — in place. Answers how many went.
 */
export function forceUnpin(state: State, client: number, lo: number, hi: number): number {
  const sh = state.gpu.shadow;
  if (sh === undefined) return 0;
  let n = 0;
  const unpin = (e: ShadowEntry | null): ShadowEntry | null => {
    if (e === null || !e.pinned || e.client !== client || e.gfn < lo || e.gfn >= hi) return e;
    putRef(state, e.addr);
    n++;
    return unpinned(e);
  };
  for (let i = 0; i < sh.ggtt.length; i++) sh.ggtt[i] = unpin(sh.ggtt[i]);
  for (let dom = 0; dom < state.domains.length; dom++) {
    for (const p of sh.vgpus[dom]?.ppgtts ?? []) {
      for (const pt of p?.pts ?? []) {
        if (pt === null) continue;
        for (let j = 0; j < pt.entries.length; j++) pt.entries[j] = unpin(pt.entries[j]);
      }
    }
  }
  return n;
}

/** What the device model does with the shadows when vfio unmaps [lo, hi) under them. */
function onUnmap(state: State, r: ShadowResolver, client: number, lo: number, hi: number, ctx: OpContext): void {
  if (pinnedGfns(state, client).some((g) => g >= lo && g < hi)) ctx.note('vfio-unmapped-under-shadow');
  // The proposal: drop (and give back) every shadow entry naming the range, so no address outlives its pin.
  if (gpuShadowConfig(ctx.knobs).vmmRemoval === 'drop-shadows') dropEntries(state, r, client, lo, hi);
  else forceUnpin(state, client, lo, hi);
}

/** The VMM unmaps client dom's page gfn from the vGPU's vfio container; KVMGT unpins it whatever its users. */
export function makeVfioDmaUnmap(r: ShadowResolver) {
  return defineOp({
    name: 'vfioDmaUnmap',
    actor: 'toolstack',
    weight: 1,
    doc: "VMM unmaps dom's page gfn from the vGPU's vfio IOVA space (VFIO_IOMMU_UNMAP_DMA); KVMGT's intel_vgpu_dma_unmap unpins every cached mapping in the range while shadow entries still hold the address",
    gen: { dom: { kind: 'pick' }, gfn: { kind: 'pick' } },
    resolve(state, raw) {
      const dom = pickFrom(liveVgpuClients(state), raw.dom);
      if (dom === undefined) return null;
      const gfn = pickFrom(pinnedGfns(state, dom), raw.gfn);
      return gfn === undefined ? null : { dom, gfn };
    },
    enabled: (state, a) => isAlive(state, a.dom),
    apply(state, { dom, gfn }, ctx) {
      if (!isAlive(state, dom)) return fail('ESRCH');
      if (vgpuOf(state, dom) === undefined) return fail('ENOENT');
      if (gfn < 0 || gfn >= state.domains[dom].p2m.length) return fail('EINVAL');
      onUnmap(state, r, dom, gfn, gfn + 1, ctx);
      return OK;
    },
  });
}
