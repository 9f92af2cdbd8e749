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
import { isAlive } from '../lookup.ts';
import { isPrivilegedFor } from '../adversary.ts';
import type { DmaTableEntry, State } from '../state.ts';
import type { OpContext, OpResult } from '../op.ts';
import { fail } from '../op.ts';
import { coreConfig } from '../knobs.ts';
import { contextKey, domainContext } from '../device/context.ts';
import { iotlbLookup } from '../device/iotlb.ts';

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
export function checkLookup(state: State, backend: number, client: number, gfn: number, ctx: OpContext, takesRef = false): OpResult | number {
  if (!isAlive(state, backend) || !isAlive(state, client)) return fail('ESRCH');
  const c = coreConfig(ctx.knobs);
  if (c.checkTarget && !isPrivilegedFor(state, backend, client)) {
    ctx.note('non-target-map-refused');
    // The error-path leak: the reference taken before the check is never dropped.
    const e = state.domains[client].p2m[gfn];
    if (takesRef && c.getPageFirst && e !== null && e !== undefined && (e.type === 'ram_rw' || e.type === 'ram_ro')) getRef(state, e.mfn);
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

/**
 * Where map-for-DMA may put a mapping in the backend's bus address space, or why not (Jan Beulich,
 * seed 000, 2014-12-10: the address "must not conflict with GPAs already or possibly in use by Dom0";
 * "fitting this into holes should be fine"): inside the table, not in use, not in the backend's
 * balloon range (GFNs below max_pages, which it may populate again), and — with flushes deferred —
 * not still cached in the IOTLB. A separate IOMMU table (PV) has no balloon range to avoid.
 */
export function dmaAddressRefusal(state: State, backend: number, addr: number): OpResult | undefined {
  const b = state.domains[backend];
  const shared = domainContext(state, backend).kind === 'shared-ept';
  const table = shared ? b.p2m : b.iommu;
  if (!Number.isInteger(addr) || addr < 0 || addr >= table.length) return fail('EINVAL');
  if (table[addr] !== null) return fail('EEXIST');
  if (shared && addr < b.maxPages) return fail('EBUSY');
  if (iotlbLookup(state, contextKey(domainContext(state, backend)), addr) !== undefined) return fail('EBUSY');
  return undefined;
}

/** The address Xen picks: the first one that passes the collision rules, or undefined when none does. */
function xenChosenAddress(state: State, backend: number): number | undefined {
  const shared = domainContext(state, backend).kind === 'shared-ept';
  const n = shared ? state.domains[backend].p2m.length : state.domains[backend].iommu.length;
  for (let addr = 0; addr < n; addr++) if (dmaAddressRefusal(state, backend, addr) === undefined) return addr;
  return undefined;
}

/**
 * Install the mapping at `addr`: in a PVH backend's p2m (its IOMMU) as a foreign entry — the frame is
 * then also its CPU's, as any foreign map is — or in a PV backend's IOMMU table. Over an occupied slot
 * (only when the collision check is off) the old entry is overwritten as p2m_set_entry does, its page
 * reference never dropped: the old page is orphaned.
 */
function installAt(state: State, backend: number, client: number, gfn: number, mfn: number, addr: number, ctx: OpContext): DmaTableEntry | OpResult {
  // iommu_map may need a page-table page; when that allocation fails nothing has been taken or written.
  const noIommuPage = fallible(ctx, 'iommu-pt-page');
  if (noIommuPage !== undefined) return fail(noIommuPage);
  const b = state.domains[backend];
  const gen = state.frames[mfn].gen;
  const shared = domainContext(state, backend).kind === 'shared-ept';
  // Past the end of the table (no collision check) the write lands outside it: lost to the model, while
  // the reference taken for it and the address handed back remain.
  if (addr < (shared ? b.p2m.length : b.iommu.length)) {
    if (shared) b.p2m[addr] = { mfn, type: 'foreign', gen, counted: true, foreign: { dom: client, gfn } };
    else b.iommu[addr] = { mfn, gen, counted: true, source: { kind: 'mapForDma', dom: client, gfn } };
  }
  getRef(state, mfn);
  return { gfn, addr, addrKind: 'bfn', gen };
}

/** Map-for-DMA at an address the caller chose (`obtainAt`), with or without the collision rules (knob). */
export function obtainAt(state: State, backend: number, client: number, gfn: number, addr: number, ctx: OpContext): DmaTableEntry | OpResult {
  const mfn = checkLookup(state, backend, client, gfn, ctx);
  if (typeof mfn !== 'number') return mfn;
  if (state.domains[backend].kind === 'pv-dom0') return fail('EOPNOTSUPP');
  if (coreConfig(ctx.knobs).checkCollision) {
    const bad = dmaAddressRefusal(state, backend, addr);
    if (bad !== undefined) {
      ctx.note('map-for-dma-collision-refused');
      return bad;
    }
  } else if (!Number.isInteger(addr) || addr < 0) return fail('EINVAL');
  return installAt(state, backend, client, gfn, mfn, addr, ctx);
}

/**
 * Tim Deegan's map-for-DMA: reference taken, frame mapped into the backend's bus address space at an
 * address Xen picks — a BFN of its own IOMMU table for a PV backend, a GFN of its p2m for a PVH one
 * (seed 000: "IOMMU <- XenGT backend dom's P2M (for PVH/HVM) or IOMMU tables (for PV)").
 */
export const mapForDma: DmaAddressing = {
  name: 'mapForDma',
  obtain(state, backend, client, gfn, ctx) {
    const mfn = checkLookup(state, backend, client, gfn, ctx, true);
    if (typeof mfn !== 'number') return mfn;
    if (state.domains[backend].kind === 'pv-dom0') return fail('EOPNOTSUPP');
    const addr = xenChosenAddress(state, backend);
    if (addr === undefined) return fail('ENOSPC');
    return installAt(state, backend, client, gfn, mfn, addr, ctx);
  },
  release(state, backend, entry) {
    const b = state.domains[backend];
    if (domainContext(state, backend).kind === 'shared-ept') {
      const e = b.p2m[entry.addr];
      // Only the foreign entry this map made: the backend may have unmapped it or put something else there.
      if (e === null || e === undefined || e.type !== 'foreign' || e.foreign?.gfn !== entry.gfn || e.gen !== entry.gen) return;
      b.p2m[entry.addr] = null;
      putRef(state, e.mfn);
      return;
    }
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
