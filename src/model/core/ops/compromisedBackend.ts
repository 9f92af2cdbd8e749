/**
 * The compromised backend's own moves on the core's structures (issue 10 item 1): a device model that
 * Xen does not trust (seed 000, Tim Deegan 2014-12-11 21:29: "a check made only at lookup time" lets
 * it "pass _any_ MFN") writes whatever it likes into the DMA tables it keeps, and calls the design's
 * DMA hypercall for any domain and GFN it can name, keeping what Xen hands out in its IOMMU for later.
 * These ops exist only in worlds whose backend is compromised (`state.adversary`); a correct backend
 * has no such move, and a replayed one is refused without a change. The notes count the moves made.
 */
import { busFrame } from '../iommu.ts';
import { backendCompromised, isClient, whenBackendCompromised } from '../adversary.ts';
import { isAlive, pickFrom } from '../lookup.ts';
import type { DmaAddressing } from './dmaAddress.ts';
import { isEntry } from './dmaAddress.ts';
import type { State } from '../state.ts';
import type { OpContext } from '../op.ts';
import { defineOp, fail, OK, okValue } from '../op.ts';
import type { Scope } from '../scope.ts';

/** The address space the backend's DMA table entries name: MFNs behind a PV dom0's identity IOMMU, else BFNs. */
export function addressRange(state: State, scope: Scope): { kind: 'mfn' | 'bfn'; size: number } {
  return state.domains[state.gpu.backend].kind === 'pv-dom0' ? { kind: 'mfn', size: scope.frames } : { kind: 'bfn', size: scope.bfns };
}

/** Count what a forged address reaches: nothing (an unmapped BFN), Xen's frame, or a frame the client does not own. */
export function noteForgedAddress(state: State, client: number, addr: number, ctx: OpContext): void {
  const mfn = busFrame(state, state.gpu.backend, addr);
  if (mfn === undefined) {
    ctx.note('compromised: DMA entry written with an unmapped BFN');
    return;
  }
  const owner = state.frames[mfn].owner;
  if (owner.kind === 'xen') ctx.note("compromised: DMA entry names one of Xen's frames");
  else if (owner.kind !== 'dom' || owner.dom !== client) {
    ctx.note(owner.kind === 'dom' && isClient(state, owner.dom) ? "compromised: DMA entry names another client's frame" : 'compromised: DMA entry names a non-client or free frame');
  }
}

/** The clients the device model keeps a DMA table for, in id order. */
function tableClients(state: State): number[] {
  const out: number[] = [];
  for (let dom = 0; dom < state.domains.length; dom++) if (state.gpu.tables[dom] !== undefined) out.push(dom);
  return out;
}

/** The compromised device model writes any address into any slot of any DMA table it keeps. */
export const forgeDmaEntry = defineOp({
  name: 'forgeDmaEntry',
  actor: 'backend',
  generatedWhen: whenBackendCompromised,
  weight: 3,
  doc: 'compromised device model writes an arbitrary address (and the GFN it claims) into a DMA table slot',
  gen: {
    client: { kind: 'pick' },
    slot: { kind: 'int', max: (s) => s.dmaSlots - 1 },
    gfn: { kind: 'int', max: (s) => s.gfns - 1 },
    addr: { kind: 'int', max: (s) => Math.max(s.frames, s.bfns) - 1 },
  },
  resolve(state, raw, scope) {
    if (!backendCompromised(state)) return null;
    const client = pickFrom(tableClients(state), raw.client);
    if (client === undefined) return null;
    return { client, slot: raw.slot, gfn: raw.gfn, addr: raw.addr % addressRange(state, scope).size };
  },
  enabled: (state) => isAlive(state, state.gpu.backend),
  apply(state, { client, slot, gfn, addr }, ctx) {
    if (!backendCompromised(state)) return fail('EPERM');
    const table = state.gpu.tables[client];
    if (table === undefined) return fail('ENOENT');
    const range = addressRange(state, ctx.scope);
    if (slot < 0 || slot >= table.length || addr < 0 || addr >= range.size) return fail('EINVAL');
    if (gfn < 0 || gfn >= state.domains[client].p2m.length) return fail('EINVAL');
    const mfn = busFrame(state, state.gpu.backend, addr);
    // The old entry is overwritten, not given back: whatever it held stays held (a leak, not a lie to Xen).
    table[slot] = { gfn, addr, addrKind: range.kind, gen: mfn === undefined ? 0 : state.frames[mfn].gen };
    ctx.note('compromised: DMA table entry written');
    noteForgedAddress(state, client, addr, ctx);
    return OK;
  },
});

/**
 * The compromised device model calls the design's DMA hypercall for any domain and GFN and keeps the
 * answer out of every table — a BFN mapped in its IOMMU to write into some table later. For the raw
 * lookup there is nothing to keep (the MFN is the answer), so only map-for-DMA designs list it.
 */
export function makeDmaMapAny(addressing: DmaAddressing) {
  return defineOp({
    name: 'dmaMapAny',
    actor: 'backend',
    generatedWhen: whenBackendCompromised,
    doc: `compromised device model calls ${addressing.name} for any domain and GFN and keeps the address for itself`,
    gen: { dom: { kind: 'dom' }, gfn: { kind: 'int', max: (s) => s.gfns - 1 } },
    resolve(state, raw) {
      if (!backendCompromised(state) || raw.dom === state.gpu.backend || !isAlive(state, raw.dom)) return null;
      return { dom: raw.dom, gfn: raw.gfn };
    },
    enabled: (state) => isAlive(state, state.gpu.backend),
    apply(state, { dom, gfn }, ctx) {
      if (!backendCompromised(state)) return fail('EPERM');
      if (dom === state.gpu.backend || gfn < 0 || gfn >= (state.domains[dom]?.p2m.length ?? 0)) return fail('EINVAL');
      const got = addressing.obtain(state, state.gpu.backend, dom, gfn, ctx);
      if (!isEntry(got)) return got;
      ctx.note(isClient(state, dom) ? "compromised: mapped a client's page outside any table" : "compromised: mapped a non-client's page outside any table");
      return okValue(got.addr);
    },
  });
}
