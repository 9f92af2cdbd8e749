/**
 * Hand-built virtio-GPU states for unit tests: the design's world in the default scope, and a way to
 * apply one op with explicit arguments and see its result, the situations it noted and its warnings.
 * Frame layout (DEFAULT_SCOPE): Xen 0-1; dom0 RAM 2-5 at gfn 0-3; dom1 6-9; dom2 10-13; dom3 14-17;
 * BAR frames 45, 46 (the backend's GPU, in its iomem_caps) and 47 (the frontend's NIC, at its gfn 15).
 */
import { knobDefaults } from '../src/designs/types.ts';
import { virtioGpuPrimitives } from '../src/designs/virtioGpuPrimitives.ts';
import { derive } from '../src/model/derived.ts';
import type { Derived } from '../src/model/derived.ts';
import { DEFAULT_SCOPE } from '../src/model/scope.ts';
import type { State } from '../src/model/state.ts';
import type { ArgRecord, KnobValues, OpDef, OpResult } from '../src/ops/types.ts';
import { INVARIANTS } from '../invariants/registry.ts';
import type { Witness } from '../invariants/types.ts';

export const BACKEND = 0;
export const FRONTEND = 1;
export const THIRD = 2;
export const BYSTANDER = 3;
export const GPU_BAR = 45;
export const GPU_BAR_2 = 46;
export const NIC_BAR = 47;
export const NIC_GFN = 15;

/** The first RAM frame of a domain in the initial world (its gfn 0). */
export function ramOf(dom: number, gfn = 0): number {
  return 2 + dom * 4 + gfn;
}

/** A fresh world of the design. */
export function world(): State {
  return virtioGpuPrimitives.buildWorld(DEFAULT_SCOPE, knobDefaults(virtioGpuPrimitives));
}

/** The design's default knobs with overrides. */
export function knobs(over: KnobValues = {}): KnobValues {
  return { ...knobDefaults(virtioGpuPrimitives), ...over };
}

/** What one applied op answered and noted. */
export interface Applied {
  result: OpResult;
  notes: string[];
}

/** Apply an op with explicit arguments, as replay does. */
export function apply(state: State, op: OpDef, args: ArgRecord, over: KnobValues = {}): Applied {
  const notes: string[] = [];
  const result = op.apply(state, args, { scope: DEFAULT_SCOPE, knobs: knobs(over), note: (s) => void notes.push(s), warn: () => {} });
  state.clock += 1;
  return { result, notes };
}

/** Apply an op and insist it succeeded; returns its value. */
export function ok(state: State, op: OpDef, args: ArgRecord, over: KnobValues = {}): number | undefined {
  const { result } = apply(state, op, args, over);
  if (!result.ok) throw new Error(`${op.name} ${JSON.stringify(args)} refused: ${result.err}`);
  return result.value;
}

/** The op of the design with this name (the design may wrap core ops). */
export function designOp(name: string): OpDef {
  const op = virtioGpuPrimitives.ops.find((o) => o.name === name);
  if (op === undefined) throw new Error(`no op ${name}`);
  return op;
}

/** Witnesses of a state invariant on a state. */
export function stateWitnesses(id: string, state: State | Derived): Witness[] {
  const inv = INVARIANTS.find((i) => i.id === id);
  if (inv === undefined || inv.kind !== 'state') throw new Error(`no state invariant ${id}`);
  return inv.check('reach' in state ? state : derive(state));
}

/** Every state invariant of the design that fails on a state, by id. */
export function failingStateInvariants(state: State): string[] {
  const d = derive(state);
  return INVARIANTS.filter((i) => i.kind === 'state' && virtioGpuPrimitives.invariants.includes(i.id))
    .filter((i) => i.kind === 'state' && i.check(d).length > 0)
    .map((i) => i.id);
}
