/**
 * The compromised GVT device model's moves on the GPU-shadowing structures (issue 10 item 1): it owns
 * the shadow GGTT, the shadow PPGTTs and the command rings, so once compromised it writes any address
 * into any of them — another VM's GGTT slice, a PPGTT leaf of its choosing — and queues commands after
 * its own audit (Tim Deegan, seed 000, 2014-12-11 21:29: the shadowing and the audit are exactly what
 * a compromised XenGT stops doing). They exist only in worlds whose backend is compromised; the notes
 * count the moves made and what the forged address reaches.
 */
import { backendCompromised, whenBackendCompromised } from '../../core/adversary.ts';
import { addressRange, noteForgedAddress } from '../../core/ops/compromisedBackend.ts';
import { busFrame } from '../../core/iommu.ts';
import { isAlive, pickFrom } from '../../core/lookup.ts';
import type { State } from '../../core/state.ts';
import type { Scope } from '../../core/scope.ts';
import { defineOp, fail, OK } from '../../core/op.ts';
import type { ShadowEntry } from '../state.ts';
import { inSlice, livePpgtts, liveVgpuClients, sliceOwner, vgpuOf } from '../shadow.ts';
import { PT_ENTRIES, RING_SIZE } from '../sizes.ts';

/** A forged shadow entry: the address the device model chose, claiming to translate `client`'s `gfn`. */
function forged(state: State, scope: Scope, client: number, gfn: number, addr: number): ShadowEntry {
  const range = addressRange(state, scope);
  const mfn = busFrame(state, state.gpu.backend, addr);
  return Object.freeze({ gfn, addr, addrKind: range.kind, gen: mfn === undefined ? 0 : state.frames[mfn].gen, client, pinned: false });
}

/** Whether a (client, gfn, addr) triple is in range for a forged entry. */
function inRange(state: State, scope: Scope, client: number, gfn: number, addr: number): boolean {
  return state.domains[client] !== undefined && gfn >= 0 && gfn < state.domains[client].p2m.length && addr >= 0 && addr < addressRange(state, scope).size;
}

/** The compromised device model writes any address into any shadow GGTT entry (any VM's slice). */
export const forgeShadowGgtt = defineOp({
  name: 'forgeShadowGgtt',
  actor: 'backend',
  generatedWhen: whenBackendCompromised,
  doc: 'compromised device model writes an arbitrary address into a shadow global-GTT entry of any slice',
  gen: { index: { kind: 'int', max: () => 15 }, gfn: { kind: 'int', max: (s) => s.gfns - 1 }, addr: { kind: 'int', max: (s) => Math.max(s.frames, s.bfns) - 1 } },
  resolve(state, raw, scope) {
    const sh = state.gpu.shadow;
    if (!backendCompromised(state) || sh === undefined || sh.ggtt.length === 0) return null;
    const index = raw.index % sh.ggtt.length;
    const client = sliceOwner(state, index);
    if (client === undefined) return null;
    return { index, gfn: raw.gfn, addr: raw.addr % addressRange(state, scope).size };
  },
  enabled: (state) => isAlive(state, state.gpu.backend),
  apply(state, { index, gfn, addr }, ctx) {
    if (!backendCompromised(state)) return fail('EPERM');
    const sh = state.gpu.shadow;
    if (sh === undefined || index < 0 || index >= sh.ggtt.length) return fail('EINVAL');
    const client = sliceOwner(state, index);
    if (client === undefined || !inRange(state, ctx.scope, client, gfn, addr)) return fail('EINVAL');
    // Overwritten, not given back: what the old entry held stays held.
    sh.ggtt[index] = forged(state, ctx.scope, client, gfn, addr);
    ctx.note('compromised: shadow GGTT entry written');
    noteForgedAddress(state, client, addr, ctx);
    return OK;
  },
});

/** The compromised device model writes any address into a leaf of a live shadow PPGTT. */
export const forgeShadowPpgtt = defineOp({
  name: 'forgeShadowPpgtt',
  actor: 'backend',
  generatedWhen: whenBackendCompromised,
  doc: 'compromised device model writes an arbitrary address into a leaf of a shadow PPGTT page table',
  gen: { vm: { kind: 'pick' }, ppgtt: { kind: 'pick' }, pd: { kind: 'int', max: () => PT_ENTRIES - 1 }, pt: { kind: 'int', max: () => PT_ENTRIES - 1 }, gfn: { kind: 'int', max: (s) => s.gfns - 1 }, addr: { kind: 'int', max: (s) => Math.max(s.frames, s.bfns) - 1 } },
  resolve(state, raw, scope) {
    if (!backendCompromised(state)) return null;
    const vm = pickFrom(liveVgpuClients(state), raw.vm);
    if (vm === undefined) return null;
    const ppgtt = pickFrom(livePpgtts(vgpuOf(state, vm)!), raw.ppgtt);
    if (ppgtt === undefined) return null;
    return { vm, ppgtt, pd: raw.pd, pt: raw.pt, gfn: raw.gfn, addr: raw.addr % addressRange(state, scope).size };
  },
  enabled: (state) => isAlive(state, state.gpu.backend),
  apply(state, { vm, ppgtt, pd, pt, gfn, addr }, ctx) {
    if (!backendCompromised(state)) return fail('EPERM');
    const table = vgpuOf(state, vm)?.ppgtts[ppgtt]?.pts[pd];
    if (table === null || table === undefined) return fail('ENOENT');
    if (pt < 0 || pt >= table.entries.length || !inRange(state, ctx.scope, vm, gfn, addr)) return fail('EINVAL');
    table.entries[pt] = forged(state, ctx.scope, vm, gfn, addr);
    ctx.note('compromised: shadow PPGTT leaf written');
    noteForgedAddress(state, vm, addr, ctx);
    return OK;
  },
});

/** The compromised device model queues a command naming any global graphics address, after its own audit. */
export const injectCommand = defineOp({
  name: 'injectCommand',
  actor: 'backend',
  generatedWhen: whenBackendCompromised,
  doc: "compromised device model queues a GPU command for a VM naming any global-GTT address (its audit skipped)",
  gen: { vm: { kind: 'pick' }, gma: { kind: 'int', max: () => 15 }, write: { kind: 'bool' } },
  resolve(state, raw) {
    const sh = state.gpu.shadow;
    if (!backendCompromised(state) || sh === undefined || sh.ggtt.length === 0) return null;
    const vm = pickFrom(liveVgpuClients(state), raw.vm);
    return vm === undefined ? null : { vm, gma: raw.gma % sh.ggtt.length, write: raw.write };
  },
  enabled: (state) => isAlive(state, state.gpu.backend),
  apply(state, { vm, gma, write }, ctx) {
    if (!backendCompromised(state)) return fail('EPERM');
    const vgpu = vgpuOf(state, vm);
    if (vgpu === undefined) return fail('ENOENT');
    if (gma < 0 || gma >= state.gpu.shadow!.ggtt.length) return fail('EINVAL');
    if (vgpu.ring.length >= RING_SIZE) return fail('EBUSY');
    vgpu.ring.push({ space: 'ggtt', gma, write });
    ctx.note(inSlice(vgpu, gma) ? 'compromised: command queued after audit' : "compromised: command naming another VM's slice queued after audit");
    return OK;
  },
});

/** The compromised device model's GPU-shadowing moves, for the XenGT designs' op lists. */
export const COMPROMISED_DEVICE_MODEL_OPS = [forgeShadowGgtt, forgeShadowPpgtt, injectCommand] as const;
