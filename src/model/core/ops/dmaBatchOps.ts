/**
 * Batched map and unmap for the XenGT device model (seed 000: the thread's batched map requests, and
 * "you have to flush the TLBs … unless … we flush the older ones lazily"): one hypercall maps several
 * of a client's GFNs into consecutive DMA table slots, or unmaps every slot of a client's table, and
 * issues one IOTLB flush for the whole batch at its end instead of one per entry. Like Xen's batched
 * memory ops it reports how many entries it did: a failure after the first entry stops the batch and
 * answers the count done so far; only a failure of the first is an error.
 */
import { contextKey, domainContext } from '../device/context.ts';
import { flushIotlb } from '../frames.ts';
import { isAlive, ramGfns } from '../lookup.ts';
import type { DmaAddressing } from './dmaAddress.ts';
import { isEntry } from './dmaAddress.ts';
import { defineOp, fail, okValue } from '../op.ts';
import type { OpDef } from '../op.ts';
import type { Scope } from '../scope.ts';
import type { State } from '../state.ts';

/** Entries one batch carries at most (kept small: the scope has a handful of slots). */
export const MAX_BATCH = 3;

/** The generated arguments of a batched map: a client, a first slot, a first GFN of its RAM and a count. */
export const BATCH_MAP_GEN = {
  client: { kind: 'dom' },
  slot: { kind: 'int', max: (s: Scope) => s.dmaSlots - 1 },
  gfn: { kind: 'pick' },
  count: { kind: 'int', max: () => MAX_BATCH },
} as const;

/** A batched map's arguments: `count` consecutive GFNs of the client's RAM from the picked one, or null when there is nothing to map. */
export function resolveBatchMap(state: State, raw: { client: number; slot: number; gfn: number; count: number }): { client: number; slot: number; gfns: number[] } | null {
  const client = raw.client;
  if (!isAlive(state, state.gpu.backend) || !isAlive(state, client) || client === state.gpu.backend) return null;
  const ram = ramGfns(state, client);
  if (ram.length === 0) return null;
  const gfns: number[] = [];
  for (let i = 0; i < Math.max(1, raw.count) && i < ram.length; i++) gfns.push(ram[(Math.abs(raw.gfn) + i) % ram.length]);
  return { client, slot: raw.slot, gfns };
}

/** `shadowSetBatch`: map `count` of the client's GFNs, from `gfn` on in its RAM, into slots from `slot`. */
export function makeShadowSetBatch(addressing: DmaAddressing): OpDef {
  return defineOp({
    name: 'shadowSetBatch',
    actor: 'backend',
    doc: `device model maps several of client's gfns into consecutive DMA table slots in one batched ${addressing.name}, one flush at the end`,
    gen: BATCH_MAP_GEN,
    resolve: resolveBatchMap,
    enabled: (state) => isAlive(state, state.gpu.backend),
    apply(state, { client, slot, gfns }, ctx) {
      const backend = state.gpu.backend;
      if (!Array.isArray(gfns) || gfns.length === 0 || gfns.length > MAX_BATCH) return fail('EINVAL');
      if (!Number.isInteger(slot) || slot < 0 || slot + gfns.length > ctx.scope.dmaSlots) return fail('EINVAL');
      let done = 0;
      for (const gfn of gfns) {
        const got = addressing.obtain(state, backend, client, gfn, ctx);
        if (!isEntry(got)) {
          if (done === 0) return got;
          break;
        }
        const table = (state.gpu.tables[client] ??= new Array(ctx.scope.dmaSlots).fill(null));
        const old = table[slot + done];
        if (old !== null) addressing.release(state, backend, old);
        table[slot + done] = got;
        done += 1;
      }
      if (done > 1) ctx.note('batched-map');
      flushIotlb(state, contextKey(domainContext(state, backend)));
      return okValue(done);
    },
  });
}

/** `shadowClearBatch`: unmap every slot of one client's table in one hypercall, one flush at the end. */
export function makeShadowClearBatch(addressing: DmaAddressing): OpDef {
  return defineOp({
    name: 'shadowClearBatch',
    actor: 'backend',
    doc: `device model unmaps every slot of a client's DMA table in one batched hypercall (via ${addressing.name}), one flush at the end`,
    gen: { client: { kind: 'dom' } },
    resolve(state, raw) {
      const table = state.gpu.tables[raw.client];
      return table === undefined || table.every((e) => e === null) ? null : { client: raw.client };
    },
    enabled: (state) => state.gpu.backend >= 0,
    apply(state, { client }) {
      const table = state.gpu.tables[client];
      if (table === undefined || table.every((e) => e === null)) return fail('ENOENT');
      let done = 0;
      for (let slot = 0; slot < table.length; slot++) {
        const e = table[slot];
        if (e === null) continue;
        addressing.release(state, state.gpu.backend, e);
        table[slot] = null;
        done += 1;
      }
      flushIotlb(state, contextKey(domainContext(state, state.gpu.backend)));
      return okValue(done);
    },
  });
}
