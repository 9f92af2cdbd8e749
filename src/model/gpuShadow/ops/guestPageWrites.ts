/**
 * Writes into guest pages that the guest's GPU driver uses as page tables (seed 002):
 *  - `guestWritePte`: the guest CPU stores an entry. A write-tracked page traps (an EPT violation, "not
 *    a DMA fault"), the store is emulated, and then every registered notifier's `track_write` runs,
 *    so the device model updates its shadow.
 *  - `deviceDmaWrite`: an emulated device (QEMU, vhost) DMAs into the page — "a guest that reads from
 *    disk into the PPGTT". Page tracking does not see it: "our tacking mechanism cares only CPU write,
 *    not Device write" (Jike Song, 2016-02-23). With `trackDeviceWrites` (Paolo Bonzini's alternative,
 *    hooking the host's memory management instead) the device model hears of it too.
 */
import { NOT_PRESENT, ownRamFrame, writeFrameEntry } from '../guestPages.ts';
import { isMirrored, liveVgpuClients, mirroredGfns } from '../shadow.ts';
import { PT_ENTRIES } from '../sizes.ts';
import { isAlive, pickFrom, ramGfns } from '../../core/lookup.ts';
import { trackCount } from '../pageTrack.ts';
import { isWriteProtected, protectTableOf } from '../protectTable.ts';
import type { State } from '../../core/state.ts';
import { trackWrite } from './deviceModel.ts';
import type { ShadowResolver } from './shadowResolver.ts';
import type { GenSpec, OpContext, OpResult, RawArgs } from '../../core/op.ts';
import { defineOp, fail, OK } from '../../core/op.ts';
import { gpuShadowConfig } from '../knobs.ts';
import { ruleOf } from '../../core/ruleSet.ts';
import { GPU_SHADOW_RULES } from '../rules.ts';

/** Arguments of a write of one entry: the VM, its page, the entry index, the GFN written (-1: not present). */
export type PageWrite = { dom: number; gfn: number; index: number; value: number };

/** Generated arguments shared by every op that writes a GFN into a guest table entry. */
export const PAGE_WRITE_GEN = {
  dom: { kind: 'pick' },
  page: { kind: 'pick' },
  index: { kind: 'int', max: () => PT_ENTRIES - 1 },
  target: { kind: 'pick' },
  present: { kind: 'bool' },
} as const satisfies GenSpec;

/** The value a generated write stores: one of the VM's RAM GFNs (`ram`, when the caller has them), or not present. */
export function pickValue(state: State, dom: number, raw: { present: boolean; target: number }, ram?: readonly number[]): number {
  if (raw.present === false) return NOT_PRESENT;
  return pickFrom(ram ?? ramGfns(state, dom), raw.target) ?? NOT_PRESENT;
}

/** The VM's RAM GFNs `ram`, the pages its shadows mirror first: writes to live page tables are the risky ones. */
function pagesToWrite(state: State, dom: number, ram: number[]): number[] {
  const mirrored = mirroredGfns(state, dom);
  if (mirrored.length === 0) return ram;
  // Mirrored RAM pages first (in mirroredGfns' order), then the other RAM pages (in GFN order).
  const out: number[] = [];
  for (let i = 0; i < mirrored.length; i++) if (ram.includes(mirrored[i])) out.push(mirrored[i]);
  for (let i = 0; i < ram.length; i++) if (!mirrored.includes(ram[i])) out.push(ram[i]);
  return out;
}

/** Resolve a generated page write: one of the client VMs (the others have no GPU tables to write). */
export function resolvePageWrite(state: State, raw: RawArgs<typeof PAGE_WRITE_GEN>): PageWrite | null {
  const dom = pickFrom(liveVgpuClients(state), raw.dom);
  if (dom === undefined) return null;
  // The VM's RAM GFNs once, for both the page written and the value (resolving runs for every generated action).
  const ram = ramGfns(state, dom);
  const gfn = pickFrom(pagesToWrite(state, dom, ram), raw.page);
  if (gfn === undefined) return null;
  return { dom, gfn, index: raw.index, value: pickValue(state, dom, raw, ram) };
}

/** Validate a page write and give the frame written, or a refusal. */
export function checkPageWrite(state: State, { dom, gfn, index, value }: PageWrite): number | OpResult {
  if (!isAlive(state, dom)) return fail('ESRCH');
  if (index < 0 || index >= PT_ENTRIES) return fail('EINVAL');
  const d = state.domains[dom];
  if (value !== NOT_PRESENT && (value < 0 || value >= d.p2m.length)) return fail('EINVAL');
  const mfn = ownRamFrame(state, dom, gfn);
  if (mfn === undefined) return fail('EFAULT');
  if (d.p2m[gfn]!.type === 'ram_ro') return fail('EACCES');
  return mfn;
}

/** An op that writes one entry of a client's page: shared arguments and checks, its own effect. */
function pageWriteOp(spec: {
  name: string;
  actor: 'guest' | 'device';
  weight: number;
  doc: string;
  write(state: State, a: PageWrite, mfn: number, ctx: OpContext): void;
}) {
  return defineOp({
    name: spec.name,
    actor: spec.actor,
    weight: spec.weight,
    doc: spec.doc,
    gen: PAGE_WRITE_GEN,
    resolve: resolvePageWrite,
    enabled: (state, a) => isAlive(state, a.dom),
    apply(state, a, ctx) {
      const mfn = checkPageWrite(state, a);
      if (typeof mfn !== 'number') return mfn;
      spec.write(state, a, mfn, ctx);
      return OK;
    },
  });
}

/** The guest CPU writes a page-table entry; tracked pages trap, are emulated, then notify. */
export function makeGuestWritePte(r: ShadowResolver) {
  return pageWriteOp({
    name: 'guestWritePte',
    actor: 'guest',
    weight: 4,
    doc: "guest CPU writes entry index of its page gfn (a GFN, or -1 not present); a write-tracked page traps, is emulated, then track_write notifies the device model",
    write(state, a, mfn, ctx) {
      const tracked = trackCount(state, a.dom, a.gfn) > 0;
      writeFrameEntry(state, mfn, a.index, a.value);
      if (!tracked) return;
      ctx.note('tracked-pt-page-written-by-cpu');
      // kvmgt_page_track_write handles a write only to a page in the vGPU's protect table.
      if (protectTableOf(state, a.dom) !== undefined && !isWriteProtected(state, a.dom, a.gfn)) return;
      // Only after the emulated write, and only to a registered notifier: the device model reads the new entry.
      if (ruleOf(GPU_SHADOW_RULES, ctx, 'notifiesCpuWrite')(state, a.dom, a.gfn)) trackWrite(state, r, a.dom, a.gfn, a.index, ctx);
    },
  });
}

/** An emulated device DMAs an entry's worth of data into a guest page, past the CPU's page tracking. */
export function makeDeviceDmaWrite(r: ShadowResolver) {
  return pageWriteOp({
    name: 'deviceDmaWrite',
    actor: 'device',
    weight: 2,
    doc: 'an emulated device (QEMU, vhost) DMAs into the guest page gfn — a disk read into what may be a PPGTT page; page tracking does not see it',
    write(state, a, mfn, ctx) {
      const mirrored = isMirrored(state, a.dom, a.gfn);
      if (mirrored) ctx.note('emulated-dma-into-pt-page');
      writeFrameEntry(state, mfn, a.index, a.value);
      if (mirrored && gpuShadowConfig(ctx.knobs).trackDeviceWrites) trackWrite(state, r, a.dom, a.gfn, a.index, ctx);
    },
  });
}
