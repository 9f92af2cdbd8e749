/**
 * `shadowSetAt`: the device model maps a client's GFN for DMA at an address it chose itself — the
 * HVM/PVH grant-map style of seed 000 ("map this frame at a GFN of mine": the caller picks an unused
 * address) — and puts it in a DMA table slot. Xen checks the address against Jan Beulich's collision
 * rules (dmaAddress.ts) unless the design's `checkCollision` is off. A compromised caller may name any
 * address, one past its table included.
 */
import { isAlive, pickFrom, ramGfns } from '../lookup.ts';
import { obtainAt, isEntry, releaseDmaEntry } from './dmaAddress.ts';
import { defineOp, fail, okValue } from '../op.ts';

/** The device model maps client's gfn at its chosen bus address `at` and stores it in slot `slot`. */
export const shadowSetAt = defineOp({
  name: 'shadowSetAt',
  actor: 'backend',
  weight: 2,
  doc: "device model maps client's gfn for DMA at a bus address it chose (a GFN of a PVH backend, a BFN of a PV one), into DMA table slot",
  gen: {
    client: { kind: 'dom' },
    slot: { kind: 'int', max: (s) => s.dmaSlots - 1 },
    gfn: { kind: 'pick' },
    at: { kind: 'int', max: (s) => Math.max(s.gfns, s.bfns) },
  },
  resolve(state, raw) {
    const client = raw.client;
    if (!isAlive(state, state.gpu.backend) || !isAlive(state, client) || client === state.gpu.backend) return null;
    const gfn = pickFrom(ramGfns(state, client), raw.gfn);
    return gfn === undefined ? null : { client, slot: raw.slot, gfn, at: raw.at };
  },
  enabled: (state) => isAlive(state, state.gpu.backend),
  apply(state, { client, slot, gfn, at }, ctx) {
    const backend = state.gpu.backend;
    if (!Number.isInteger(slot) || slot < 0 || slot >= ctx.scope.dmaSlots) return fail('EINVAL');
    const got = obtainAt(state, backend, client, gfn, at, ctx);
    if (!isEntry(got)) return got;
    const table = (state.gpu.tables[client] ??= new Array(ctx.scope.dmaSlots).fill(null));
    const old = table[slot];
    if (old !== null) releaseDmaEntry(state, backend, old);
    table[slot] = got;
    return okValue(got.addr);
  },
});
