/**
 * The grant-based device model (Tim Deegan, seed 000, 2014-12-11 21:29, level 3 option b: "Make the
 * GPU driver in the client use grant tables for all RAM that it gives to the GPU"): the backend holds
 * no privilege over its clients; each client grants each buffer to it, and the device model maps the
 * grant for device access (GNTTABOP_map_grant_ref with GNTMAP_device_map: a BFN in its IOMMU, a
 * reference) and programs that BFN into the client's DMA table — as a NIC driver domain does with
 * network buffers. A correct device model clears a slot before it unmaps the grant behind it.
 */
import { mapGrant, releaseMapping, unmapGrant } from './grants.ts';
import { emptyBfns, isAlive, pickFrom } from '../lookup.ts';
import type { State } from '../state.ts';
import { defineOp, fail, OK, okValue } from '../op.ts';

/** The client's live grants to the backend, as grant refs. */
function grantsToBackend(state: State, client: number): number[] {
  const out: number[] = [];
  const grants = state.domains[client].grants;
  for (let ref = 0; ref < grants.length; ref++) if (grants[ref]?.grantee === state.gpu.backend) out.push(ref);
  return out;
}

/** The backend's maptrack handle whose device mapping sits at `bfn`, or -1. */
function handleAt(state: State, bfn: number): number {
  return state.domains[state.gpu.backend].maptrack.findIndex((m) => m !== null && m.deviceBfn === bfn);
}

/** Clear every DMA table slot naming BFN `bfn` (what a correct device model does before unmapping it). */
function clearSlotsNaming(state: State, bfn: number): void {
  for (const key in state.gpu.tables) {
    const table = state.gpu.tables[key];
    for (let slot = 0; slot < table.length; slot++) if (table[slot]?.addrKind === 'bfn' && table[slot]!.addr === bfn) table[slot] = null;
  }
}

/** Give back what a table slot holds: the grant mapping behind its BFN (unless it is `keep`, just mapped). */
function releaseSlot(state: State, client: number, slot: number, keep = -1): void {
  const e = state.gpu.tables[client]?.[slot];
  if (e === null || e === undefined) return;
  state.gpu.tables[client][slot] = null;
  // A forged entry may already name the BFN just mapped: that mapping is the new one, not the old.
  if (e.addr === keep) return;
  const handle = handleAt(state, e.addr);
  if (handle >= 0) {
    clearSlotsNaming(state, e.addr);
    releaseMapping(state, state.gpu.backend, handle);
  }
}

/** The device model maps a grant its client gave it for device access and programs the BFN into a slot. */
export const grantShadowSet = defineOp({
  name: 'grantShadowSet',
  actor: 'backend',
  weight: 4,
  doc: "device model maps a grant its client gave it (device mapping, a BFN) and programs the BFN into the client's DMA table slot",
  gen: { client: { kind: 'dom' }, slot: { kind: 'int', max: (s) => s.dmaSlots - 1 }, grant: { kind: 'pick' } },
  resolve(state, raw) {
    if (!isAlive(state, state.gpu.backend) || state.gpu.tables[raw.client] === undefined || !isAlive(state, raw.client)) return null;
    const ref = pickFrom(grantsToBackend(state, raw.client), raw.grant);
    return ref === undefined ? null : { client: raw.client, slot: raw.slot, ref };
  },
  enabled: (state) => isAlive(state, state.gpu.backend),
  apply(state, { client, slot, ref }, ctx) {
    const backend = state.gpu.backend;
    const table = state.gpu.tables[client];
    if (table === undefined) return fail('ENOENT');
    if (slot < 0 || slot >= table.length) return fail('EINVAL');
    const bfn = emptyBfns(state, backend)[0];
    if (bfn === undefined) return fail('ENOSPC');
    const mapped = mapGrant.apply(state, { grantee: backend, granter: client, ref, readonly: false, hostGfn: -1, deviceBfn: bfn }, ctx);
    if (!mapped.ok) return mapped;
    releaseSlot(state, client, slot, bfn);
    const e = state.domains[backend].iommu[bfn]!;
    table[slot] = { gfn: state.domains[client].grants[ref]!.gfn, addr: bfn, addrKind: 'bfn', gen: e.gen };
    return okValue(bfn);
  },
});

/** The device model clears a slot and unmaps the grant behind it. */
export const grantShadowClear = defineOp({
  name: 'grantShadowClear',
  actor: 'backend',
  doc: 'device model clears a DMA table slot and unmaps the grant mapping behind it',
  gen: { client: { kind: 'dom' }, slot: { kind: 'int', max: (s) => s.dmaSlots - 1 } },
  resolve(state, raw) {
    const e = state.gpu.tables[raw.client]?.[raw.slot];
    return e === null || e === undefined ? null : { client: raw.client, slot: raw.slot };
  },
  enabled: (state) => isAlive(state, state.gpu.backend),
  apply(state, { client, slot }) {
    const e = state.gpu.tables[client]?.[slot];
    if (e === null || e === undefined) return fail('ENOENT');
    releaseSlot(state, client, slot);
    return OK;
  },
});

/** unmapGrant, with the correct device model's order: a BFN its tables name is cleared from them first. */
export const unmapGrantClearingSlots = defineOp({
  ...unmapGrant,
  doc: 'grantee unmaps a grant mapping by handle; the device model first clears any DMA table slot naming its BFN',
  apply(state, args, ctx) {
    const m = state.domains[args.grantee]?.maptrack[args.handle];
    if (m !== null && m !== undefined && args.grantee === state.gpu.backend && m.deviceBfn >= 0) {
      const r = unmapGrant.apply(state, args, ctx);
      if (r.ok) clearSlotsNaming(state, m.deviceBfn);
      return r;
    }
    return unmapGrant.apply(state, args, ctx);
  },
});
