/**
 * How a device model turns a client's GFN into an address the GPU can DMA to — the hypercall the
 * XenGT thread is about. Two answers from the seed:
 *  - `translateGpfn`: XENMEM_translate_gpfn_list revived (XENMEM_get_mfn_from_pfn): returns the raw
 *    MFN, takes no reference; usable only because a PV dom0's IOMMU is the identity over RAM.
 *  - `mapForDma`: Tim Deegan's map hypercall: the backend names (domid, gfn), Xen checks the target
 *    list, takes a reference and maps the frame into the backend's IOMMU at a BFN it returns; unmap
 *    drops the reference.
 * The GPU issue fills shadow page tables through the same interface.
 */
import { fallible } from '../faults.ts';
import { getRef, putRef } from '../frames.ts';
import { emptyBfns, isAlive } from '../lookup.ts';
import { isPrivilegedFor } from '../adversary.ts';
import type { DmaTableEntry, State } from '../state.ts';
import type { OpContext, OpResult } from '../op.ts';
import { fail } from '../op.ts';
import { coreConfig } from '../knobs.ts';

/** A way of resolving GFNs for DMA: obtain an address for (client, gfn), and give it back. */
export interface DmaAddressing {
  /** Name used in docs and traces. */
  name: 'translateGpfn' | 'mapForDma';
  /** Obtain a DMA address for the client's gfn on behalf of the backend; the entry to store, or an error. */
  obtain(state: State, backend: number, client: number, gfn: number, ctx: OpContext): DmaTableEntry | OpResult;
  /** Give back what `obtain` took (nothing, for a raw lookup). */
  release(state: State, backend: number, entry: DmaTableEntry): void;
}

/**
 * The checks both hypercalls make on (backend, client, gfn): alive, privileged (knob; XSM_TARGET, so a
 * control-domain backend passes for any domain — adversary.ts), RAM there; the MFN or a refusal.
 */
export function checkLookup(state: State, backend: number, client: number, gfn: number, ctx: OpContext): OpResult | number {
  if (!isAlive(state, backend) || !isAlive(state, client)) return fail('ESRCH');
  if (coreConfig(ctx.knobs).checkTarget && !isPrivilegedFor(state, backend, client)) {
    ctx.note('non-target-map-refused');
    return fail('EPERM');
  }
  const e = state.domains[client].p2m[gfn];
  if (e === null || e === undefined || (e.type !== 'ram_rw' && e.type !== 'ram_ro')) return fail('EINVAL');
  return e.mfn;
}

/** The 2014 lookup: raw MFN, no reference. */
export const translateGpfn: DmaAddressing = {
  name: 'translateGpfn',
  obtain(state, backend, client, gfn, ctx) {
    const mfn = checkLookup(state, backend, client, gfn, ctx);
    if (typeof mfn !== 'number') return mfn;
    return { gfn, addr: mfn, addrKind: 'mfn', gen: state.frames[mfn].gen };
  },
  release() {
    // Nothing was taken, so nothing is given back: the heart of the race.
  },
};

/** Tim Deegan's map-for-DMA: reference taken, frame mapped into the backend's IOMMU at a BFN Xen picks. */
export const mapForDma: DmaAddressing = {
  name: 'mapForDma',
  obtain(state, backend, client, gfn, ctx) {
    const mfn = checkLookup(state, backend, client, gfn, ctx);
    if (typeof mfn !== 'number') return mfn;
    const b = state.domains[backend];
    if (b.kind === 'pv-dom0') return fail('EOPNOTSUPP');
    const bfn = emptyBfns(state, backend)[0];
    if (bfn === undefined) return fail('ENOSPC');
    const gen = state.frames[mfn].gen;
    // The reference is taken before iommu_map, which may need a page-table page; on failure it is put back.
    getRef(state, mfn);
    const noIommuPage = fallible(ctx, 'iommu-pt-page');
    if (noIommuPage !== undefined) {
      putRef(state, mfn);
      return fail(noIommuPage);
    }
    b.iommu[bfn] = { mfn, gen, counted: true, source: { kind: 'mapForDma', dom: client, gfn } };
    return { gfn, addr: bfn, addrKind: 'bfn', gen };
  },
  release(state, backend, entry) {
    const b = state.domains[backend];
    const e = b.iommu[entry.addr];
    if (e === null || e === undefined || e.source.kind !== 'mapForDma') return;
    b.iommu[entry.addr] = null;
    putRef(state, e.mfn);
  },
};

/** Whether `obtain` answered with an entry rather than an error. */
export function isEntry(x: DmaTableEntry | OpResult): x is DmaTableEntry {
  return (x as DmaTableEntry).addrKind !== undefined;
}

/** Give back whatever a DMA table entry holds, whichever hypercall filled it (the entry says which). */
export function releaseDmaEntry(state: State, backend: number, entry: DmaTableEntry): void {
  if (entry.addrKind === 'bfn') mapForDma.release(state, backend, entry);
}

/** Empty one client's DMA table, giving back every entry. */
export function clearDmaTable(state: State, client: number): void {
  const table = state.gpu.tables[client];
  if (table === undefined) return;
  for (let slot = 0; slot < table.length; slot++) {
    const e = table[slot];
    if (e !== null) releaseDmaEntry(state, state.gpu.backend, e);
    table[slot] = null;
  }
}
