/**
 * The XenGT batched map (dmaBatchOps.ts) as a preemptible handler: one phase per entry, and — as
 * Xen's batched XENMEM_add_to_physmap does before it returns through a continuation — the IOTLB
 * flushed for what was done so far whenever the batch is preempted, and once more at its end. Between
 * entries the client may balloon a page out, the backend may clear the table, the GPU may DMA: each
 * entry re-translates its GFN when its phase runs, so nothing looked up before a preemption is used
 * after it.
 */
import { contextKey, domainContext } from '../device/context.ts';
import { flushIotlb } from '../frames.ts';
import { isAlive } from '../lookup.ts';
import type { DmaAddressing } from './dmaAddress.ts';
import { isEntry } from './dmaAddress.ts';
import { BATCH_MAP_GEN, MAX_BATCH, resolveBatchMap } from './dmaBatchOps.ts';
import type { OpContext } from '../op.ts';
import { fail, okValue } from '../op.ts';
import type { PhaseOutcome } from '../phase.ts';
import { definePhasedOp, p2mLock } from '../phase.ts';
import type { DomId, State } from '../state.ts';

/** `shadowSetBatch`, preemptible: map `gfns` of `client` into consecutive slots from `slot`, one entry per phase. */
export function makePhasedShadowSetBatch(addressing: DmaAddressing) {
  const flush = (state: State) => flushIotlb(state, contextKey(domainContext(state, state.gpu.backend)));
  /** Entry `i`, then pause before the next one or finish with the count done. */
  const entry = (state: State, client: DomId, slot: number, gfns: readonly number[], i: number, ctx: OpContext): PhaseOutcome => {
    const backend = state.gpu.backend;
    const got = addressing.obtain(state, backend, client, gfns[i], ctx);
    if (!isEntry(got)) {
      if (i === 0) return { done: got };
      flush(state);
      return { done: okValue(i) };
    }
    const table = (state.gpu.tables[client] ??= new Array(ctx.scope.dmaSlots).fill(null));
    const old = table[slot + i];
    if (old !== null) addressing.release(state, backend, old);
    table[slot + i] = got;
    flush(state);
    if (i + 1 >= gfns.length) {
      if (gfns.length > 1) ctx.note('batched-map');
      return { done: okValue(gfns.length) };
    }
    return { pause: { next: 'map entry', cursor: i + 1 } };
  };
  return definePhasedOp({
    name: 'shadowSetBatch',
    actor: 'backend',
    doc: `device model maps several of client's gfns into consecutive DMA table slots in one batched ${addressing.name}, preemptible between entries (flushing what it did before each continuation)`,
    gen: BATCH_MAP_GEN,
    resolve: resolveBatchMap,
    enabled: (state) => isAlive(state, state.gpu.backend),
    key: ({ client }) => `shadowSetBatch:d${client}`,
    // Each entry reads the client's p2m while it runs; nothing is held across a preemption.
    locks: (_state, { client }) => [p2mLock(client)],
    begin(state, { client, slot, gfns }, ctx) {
      if (!Array.isArray(gfns) || gfns.length === 0 || gfns.length > MAX_BATCH) return { done: fail('EINVAL') };
      if (!Number.isInteger(slot) || slot < 0 || slot + gfns.length > ctx.scope.dmaSlots) return { done: fail('EINVAL') };
      return entry(state, client, slot, gfns, 0, ctx);
    },
    resume(state, { client, slot, gfns }, at, ctx) {
      if (!Array.isArray(gfns) || at.cursor <= 0 || at.cursor >= gfns.length) return { done: fail('EINVAL') };
      // The backend may have died while the batch was preempted: the continuation ends with what it did.
      if (!isAlive(state, state.gpu.backend)) return { done: okValue(at.cursor) };
      ctx.note('batched-map-continued');
      return entry(state, client, slot, gfns, at.cursor, ctx);
    },
  });
}
