/**
 * The XenGT device model's flat DMA table (the simplest shadow GTT) and the GPU using it. `shadowSet`
 * and `shadowClear` go through the design's DMA addressing hypercall (dmaAddress.ts); `gpuDma` is the
 * GPU doing a DMA through the table and then the backend's IOMMU.
 */
import { gpuPerformDma } from '../iommu.ts';
import { isAlive, pickFrom, ramGfns } from '../lookup.ts';
import type { State } from '../state.ts';
import type { DmaAddressing } from './dmaAddress.ts';
import { isEntry } from './dmaAddress.ts';
import { defineOp, fail, OK, okValue } from '../op.ts';
import type { OpDef } from '../op.ts';

/** Every occupied DMA table slot as (client, slot). */
function liveSlots(state: State): { client: number; slot: number }[] {
  const out: { client: number; slot: number }[] = [];
  for (const key in state.gpu.tables) {
    const table = state.gpu.tables[key];
    for (let slot = 0; slot < table.length; slot++) if (table[slot] !== null) out.push({ client: Number(key), slot });
  }
  return out;
}

/** `shadowSet` for a design: the device model puts client's gfn into DMA table slot `slot`. */
export function makeShadowSet(addressing: DmaAddressing): OpDef {
  return defineOp({
    name: 'shadowSet',
    actor: 'backend',
    weight: 4,
    doc: `device model puts client's gfn into its DMA table at slot (via ${addressing.name})`,
    gen: { client: { kind: 'dom' }, slot: { kind: 'int', max: (s) => s.dmaSlots - 1 }, gfn: { kind: 'pick' } },
    resolve(state, raw) {
      const client = raw.client;
      if (!isAlive(state, state.gpu.backend) || !isAlive(state, client) || client === state.gpu.backend) return null;
      const gfn = pickFrom(ramGfns(state, client), raw.gfn);
      return gfn === undefined ? null : { client, slot: raw.slot, gfn };
    },
    enabled: (state) => isAlive(state, state.gpu.backend),
    apply(state, { client, slot, gfn }, ctx) {
      const backend = state.gpu.backend;
      if (slot < 0 || slot >= ctx.scope.dmaSlots) return fail('EINVAL');
      const got = addressing.obtain(state, backend, client, gfn, ctx);
      if (!isEntry(got)) return got;
      // The device model changes the GTT entry: whatever the slot held is given back first.
      const table = (state.gpu.tables[client] ??= new Array(ctx.scope.dmaSlots).fill(null));
      const old = table[slot];
      if (old !== null) addressing.release(state, backend, old);
      table[slot] = got;
      return okValue(got.addr);
    },
  });
}

/** `shadowClear` for a design: the device model empties a DMA table slot and gives its address back. */
export function makeShadowClear(addressing: DmaAddressing): OpDef {
  return defineOp({
    name: 'shadowClear',
    actor: 'backend',
    doc: `device model clears a DMA table slot (releasing it via ${addressing.name})`,
    gen: { entry: { kind: 'pick' } },
    resolve(state, raw) {
      const e = pickFrom(liveSlots(state), raw.entry);
      return e === undefined ? null : e;
    },
    enabled: (state) => state.gpu.backend >= 0,
    apply(state, { client, slot }) {
      const table = state.gpu.tables[client];
      const e = table?.[slot];
      if (e === null || e === undefined) return fail('ENOENT');
      addressing.release(state, state.gpu.backend, e);
      table[slot] = null;
      return OK;
    },
  });
}

/** The GPU DMAs (read or write) through a DMA table slot and the backend's IOMMU. */
export const gpuDma = defineOp({
  name: 'gpuDma',
  actor: 'gpu',
  doc: "GPU runs client's command: DMA through a DMA table slot, then the backend's IOMMU",
  gen: { entry: { kind: 'pick' }, write: { kind: 'bool' } },
  resolve(state, raw) {
    const e = pickFrom(liveSlots(state), raw.entry);
    return e === undefined ? null : { ...e, write: raw.write };
  },
  enabled: () => true,
  apply(state, { client, slot }, ctx) {
    const e = state.gpu.tables[client]?.[slot];
    if (e === null || e === undefined) return fail('ENOENT');
    const t = gpuPerformDma(state, client, e.addr, ctx);
    if (t === undefined) return fail('EFAULT');
    const f = state.frames[t.mfn];
    const intended = f.owner.kind === 'dom' && f.owner.dom === client && f.gen === e.gen;
    if (!intended) ctx.note('dma-into-reallocated-frame');
    return okValue(t.mfn);
  },
});
