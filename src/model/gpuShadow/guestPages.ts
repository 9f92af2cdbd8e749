/**
 * Guest page contents, for the pages a guest uses as GPU page tables. Contents belong to the machine
 * frame, tagged with the frame's generation: a frame freed and handed out again reads as a fresh,
 * zeroed page (Xen and Linux scrub pages they hand out). Only pages ever written are stored.
 */
import { PT_ENTRIES } from './sizes.ts';
import type { State } from '../core/state.ts';

/** "Not present": the value of every entry of a fresh page. */
export const NOT_PRESENT = -1;

/** Entry `index` of frame `mfn` as the frame is now (not present when never written this allocation). */
export function frameEntry(state: State, mfn: number, index: number): number {
  const page = state.pageData?.[mfn];
  if (page === undefined || page.gen !== state.frames[mfn].gen) return NOT_PRESENT;
  return page.entries[index];
}

/** Write entry `index` of frame `mfn` (a CPU store or a device's DMA: the caller says which saw it). */
export function writeFrameEntry(state: State, mfn: number, index: number, value: number): void {
  const pages = (state.pageData ??= {});
  const gen = state.frames[mfn].gen;
  let page = pages[mfn];
  if (page === undefined || page.gen !== gen) {
    page = { gen, entries: new Array<number>(PT_ENTRIES).fill(NOT_PRESENT) };
    pages[mfn] = page;
  }
  page.entries[index] = value;
}

/** The frame behind a VM's GFN when it is the VM's own RAM, else undefined. */
export function ownRamFrame(state: State, dom: number, gfn: number): number | undefined {
  const e = state.domains[dom]?.p2m[gfn];
  if (e === null || e === undefined || (e.type !== 'ram_rw' && e.type !== 'ram_ro')) return undefined;
  return e.mfn;
}

/** Entry `index` of the guest page at `gfn`, read as the guest (and a device model) reads it: through the p2m. */
export function guestEntry(state: State, dom: number, gfn: number, index: number): number {
  const mfn = ownRamFrame(state, dom, gfn);
  return mfn === undefined ? NOT_PRESENT : frameEntry(state, mfn, index);
}
