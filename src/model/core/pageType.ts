/**
 * Page type counts (Xen's `type_info`, get_page_type / put_page_type) for the one type the model's
 * frames take: `PGT_writable_page`. A writable mapping Xen installs for a grant — a writable device
 * map, or a writable host map where `gnttab_host_mapping_get_page_type` asks for it (a PV granter) —
 * holds a writable-type reference besides its general one (`refcount`), so the frame cannot change
 * type (become a page table, a descriptor page) while something can write it.
 */
import type { State } from './state.ts';

/** The frame's writable-type count (absent counts as zero). */
export function typeCount(state: State, mfn: number): number {
  return state.frames[mfn]?.typeCount ?? 0;
}

/**
 * get_page_type(pg, PGT_writable_page): take a writable-type reference. Always succeeds in the model,
 * whose frames have no other type to conflict with; MMIO frames have no page bookkeeping at all.
 */
export function getPageType(state: State, mfn: number): void {
  const f = state.frames[mfn];
  if (f.kind === 'mmio') return;
  f.typeCount = (f.typeCount ?? 0) + 1;
}

/** put_page_type: drop a writable-type reference; the field goes when the count reaches zero. */
export function putPageType(state: State, mfn: number): void {
  const f = state.frames[mfn];
  if (f.kind === 'mmio') return;
  const n = (f.typeCount ?? 0) - 1;
  if (n > 0) f.typeCount = n;
  else delete f.typeCount;
}
