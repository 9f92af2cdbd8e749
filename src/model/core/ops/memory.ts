/**
 * Memory reservation: ballooning (XENMEM_populate_physmap / XENMEM_decrease_reservation) and Xen's own
 * allocations. The allocator's choice of free frame is an explicit argument, so the fuzzer can hand a
 * just-freed frame to another domain, or to Xen, which is how the seed's ballooning race completes.
 */
import { fallible } from '../faults.ts';
import { allocFrame, freeFrames, putRef } from '../frames.ts';
import { emptyGfns, isAlive, pickFrom, ramGfns } from '../lookup.ts';
import { defineOp, fail, OK, okValue } from '../op.ts';
import type { State } from '../state.ts';

/** XENMEM_populate_physmap: a guest asks for a frame at one of its empty GFNs. */
export const populatePhysmap = defineOp({
  name: 'populatePhysmap',
  actor: 'guest',
  weight: 3,
  doc: 'guest dom asks Xen for RAM at an empty gfn; the allocator hands out frame mfn',
  gen: { dom: { kind: 'dom' }, gfn: { kind: 'pick' }, mfn: { kind: 'pick' } },
  resolve(state, raw) {
    const dom = raw.dom;
    if (!isAlive(state, dom)) return null;
    const gfn = pickFrom(emptyGfns(state, dom), raw.gfn);
    const mfn = pickFrom(freeFrames(state), raw.mfn);
    if (gfn === undefined || mfn === undefined) return null;
    return { dom, gfn, mfn };
  },
  enabled: (state, a) => isAlive(state, a.dom),
  apply(state, { dom, gfn, mfn }, ctx) {
    const d = state.domains[dom];
    if (!isAlive(state, dom)) return fail('ESRCH');
    if (gfn < 0 || gfn >= d.p2m.length) return fail('EINVAL');
    if (d.p2m[gfn] !== null) return fail('EEXIST');
    if (d.totPages >= d.maxPages) return fail('ENOMEM');
    const f = state.frames[mfn];
    if (f === undefined || f.owner.kind !== 'free' || f.kind !== 'ram') return fail('ENOMEM');
    const noFrame = fallible(ctx, 'frame-alloc');
    if (noFrame !== undefined) return fail(noFrame);
    if (f.freedAt >= 0) ctx.note('freed-frame-reallocated');
    allocFrame(state, mfn, { kind: 'dom', dom });
    d.p2m[gfn] = { mfn, type: 'ram_rw', gen: f.gen, counted: true };
    return okValue(mfn);
  },
});

/** Whether a device model's flat DMA table holds the raw MFN (the 2014 lookup, which takes no reference). */
function rawDmaEntryNames(state: State, mfn: number): boolean {
  for (const table of Object.values(state.gpu.tables)) {
    if (table.some((x) => x !== null && x.addrKind === 'mfn' && x.addr === mfn)) return true;
  }
  return false;
}

/** XENMEM_decrease_reservation: a guest gives the frame behind one of its RAM GFNs back to Xen. */
export const decreaseReservation = defineOp({
  name: 'decreaseReservation',
  actor: 'guest',
  weight: 3,
  doc: 'guest dom balloons out gfn; its frame is freed once the last reference goes',
  gen: { dom: { kind: 'dom' }, gfn: { kind: 'pick' } },
  resolve(state, raw) {
    const dom = raw.dom;
    if (!isAlive(state, dom)) return null;
    const gfn = pickFrom(ramGfns(state, dom), raw.gfn);
    return gfn === undefined ? null : { dom, gfn };
  },
  enabled: (state, a) => isAlive(state, a.dom),
  apply(state, { dom, gfn }, ctx) {
    if (!isAlive(state, dom)) return fail('ESRCH');
    const d = state.domains[dom];
    const e = d.p2m[gfn];
    if (e === null || e === undefined) return fail('ENOENT');
    if (e.type !== 'ram_rw' && e.type !== 'ram_ro') return fail('EINVAL');
    // Someone besides this p2m entry still names the frame: the seed's race is in progress. Judged from
    // what is stored — another counted reference, or a raw-MFN DMA table entry, which takes none.
    if (state.frames[e.mfn].refcount > 1 || rawDmaEntryNames(state, e.mfn)) ctx.note('mapped-or-shadowed-gfn-ballooned');
    d.p2m[gfn] = null;
    putRef(state, e.mfn);
    return OK;
  },
});

/** Xen allocates a free frame for itself (a p2m or IOMMU page-table page, say). */
export const xenAllocPage = defineOp({
  name: 'xenAllocPage',
  actor: 'hypervisor',
  doc: 'Xen takes free frame mfn for its own use (page tables, heap metadata)',
  gen: { mfn: { kind: 'pick' } },
  resolve(state, raw) {
    const mfn = pickFrom(freeFrames(state), raw.mfn);
    return mfn === undefined ? null : { mfn };
  },
  enabled: () => true,
  apply(state, { mfn }, ctx) {
    const f = state.frames[mfn];
    if (f === undefined || f.owner.kind !== 'free' || f.kind !== 'ram') return fail('ENOMEM');
    if (f.freedAt >= 0) ctx.note('freed-frame-reallocated');
    allocFrame(state, mfn, { kind: 'xen' });
    return okValue(mfn);
  },
});

/** Xen frees a frame it allocated at run time (never its boot frames, which hold no reference). */
export const xenFreePage = defineOp({
  name: 'xenFreePage',
  actor: 'hypervisor',
  weight: 1,
  doc: 'Xen returns a frame it allocated at run time to the heap',
  gen: { mfn: { kind: 'pick' } },
  resolve(state, raw) {
    const mine: number[] = [];
    for (let mfn = 0; mfn < state.frames.length; mfn++) {
      const f = state.frames[mfn];
      if (f.owner.kind === 'xen' && f.refcount > 0) mine.push(mfn);
    }
    const mfn = pickFrom(mine, raw.mfn);
    return mfn === undefined ? null : { mfn };
  },
  enabled: () => true,
  apply(state, { mfn }) {
    const f = state.frames[mfn];
    if (f === undefined || f.owner.kind !== 'xen' || f.refcount === 0) return fail('EINVAL');
    putRef(state, mfn);
    return OK;
  },
});
