/**
 * How the device model fills a shadow entry: turn the client's GFN (what the guest wrote in its GTT or
 * PPGTT) into an address the GPU can DMA to, and give it back when the entry changes. Three answers:
 *  - `translateGpfn` (seed 000, the 2014 XenGT proposal): the raw MFN, no reference;
 *  - `mapForDma` (seed 000, Tim Deegan 2014-12-11 16:46): a reference and a BFN in the backend's IOMMU;
 *  - `pinGuestPage` (seed 002, KVMGT's "Pin/unpin guest memory", Kevin Tian 2016-02-22): vfio pins the
 *    page — a reference the shadow entry itself holds — and the GPU uses its host address through the
 *    host's passthrough (identity) IOMMU domain.
 * The first two are the core's DMA addressing hypercalls (dmaAddress.ts), unchanged.
 */
import { getRef, putRef } from '../../core/frames.ts';
import type { State } from '../../core/state.ts';
import type { ShadowEntry } from '../state.ts';
import type { DmaAddressing } from '../../core/ops/dmaAddress.ts';
import { checkLookup, isEntry, mapForDma, translateGpfn } from '../../core/ops/dmaAddress.ts';
import type { OpContext, OpResult } from '../../core/op.ts';
import { fail } from '../../core/op.ts';

/**
 * A way of resolving a client's GFN into a shadow entry, and of giving the entry back. Entries are
 * frozen: the device model replaces an entry and never edits one, and a frozen object is an immutable
 * value that copying a state shares rather than copies (clone.ts) — a snapshot is taken before every
 * GGTT write and at the start of every run, and shadow entries are most of the GPU state.
 */
export interface ShadowResolver {
  name: 'translateGpfn' | 'mapForDma' | 'pinGuestPage';
  obtain(state: State, backend: number, client: number, gfn: number, ctx: OpContext): ShadowEntry | OpResult;
  release(state: State, backend: number, entry: ShadowEntry): void;
}

/** A core DMA addressing hypercall used to fill shadow entries. */
function fromDmaAddressing(a: DmaAddressing): ShadowResolver {
  return {
    name: a.name,
    obtain(state, backend, client, gfn, ctx) {
      const got = a.obtain(state, backend, client, gfn, ctx);
      // Field by field rather than a spread (faster; the same fields in the same order).
      return isEntry(got) ? Object.freeze({ gfn: got.gfn, addr: got.addr, addrKind: got.addrKind, gen: got.gen, client, pinned: false }) : got;
    },
    release: (state, backend, entry) => a.release(state, backend, entry),
  };
}

/** The 2014 raw lookup. */
export const translateGpfnResolver: ShadowResolver = fromDmaAddressing(translateGpfn);

/** Tim Deegan's map-for-DMA. */
export const mapForDmaResolver: ShadowResolver = fromDmaAddressing(mapForDma);

/** KVMGT: pin the guest page (a counted reference) and use its host address through the identity IOMMU. */
export const pinGuestPage: ShadowResolver = {
  name: 'pinGuestPage',
  obtain(state, backend, client, gfn, ctx) {
    const mfn = checkLookup(state, backend, client, gfn, ctx);
    if (typeof mfn !== 'number') return mfn;
    // The host address is usable only through a passthrough IOMMU domain (iommu=pt).
    if (state.domains[backend].kind !== 'pv-dom0') return fail('EOPNOTSUPP');
    getRef(state, mfn);
    return Object.freeze({ gfn, addr: mfn, addrKind: 'mfn', gen: state.frames[mfn].gen, client, pinned: true });
  },
  release(state, _backend, entry) {
    // An entry vfio force-unpinned (intel_vgpu_dma_unmap) holds nothing: KVMGT's cache lookup finds no entry.
    if (entry.pinned) putRef(state, entry.addr);
  },
};

/** Whether `obtain` answered with a shadow entry rather than a refusal. */
export function isShadowEntry(x: ShadowEntry | OpResult): x is ShadowEntry {
  return (x as ShadowEntry).addrKind !== undefined;
}
