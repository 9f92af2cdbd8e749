/**
 * Helpers that let unit tests read like the domain: build a design's world, apply one operation with a
 * context that records what it notes and warns, and assert that a refusal answered the right error code
 * and left the state exactly as it was (replay relies on refusals changing nothing).
 */
import { expect } from 'vitest';
import type { StateInvariant, Witness } from '../../invariants/types.ts';
import type { Design } from '../../src/model/core/design.ts';
import { knobDefaults } from '../../src/model/core/design.ts';
import { xenMapForDma } from '../../src/model/core/designs/xenMapForDma.ts';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import { clonePlain } from '../../src/model/core/clone.ts';
import { derive } from '../../src/model/derived.ts';
import { firstDifference } from '../../src/model/core/equal.ts';
import type { Scope } from '../../src/model/core/scope.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import type { P2mEntry, State } from '../../src/model/core/state.ts';
import type { ArgRecord, Errno, KnobValues, OpContext, OpDef, OpResult } from '../../src/model/core/op.ts';

/**
 * The initial world of a design in the default scope (map-for-DMA's PVH backend unless told otherwise).
 * Layout, which the tests rely on: mfn 0-1 are Xen's; dom0..dom3 own four frames each at gfn 0-3
 * (dom0: mfn 2-5, dom1: 6-9, dom2: 10-13, dom3: 14-17), the rest is free; dom0 is the XenGT backend,
 * targeting its clients dom1 and dom2 (each with an empty DMA table); dom3 is nobody's client; dom4 is
 * a spare id.
 */
export function world(design: Design = xenMapForDma, knobs: KnobValues = {}): State {
  return design.buildWorld(DEFAULT_SCOPE, { ...knobDefaults(design), ...knobs });
}

/** The initial world of every core design: where each invariant must hold before any step. */
export function initialWorlds(): State[] {
  return [world(xenTranslateGpfn), world(xenMapForDma)];
}

/** An op context that keeps what the operation noted and warned. */
export interface RecordingContext extends OpContext {
  notes: string[];
  warnings: string[];
}

/** A context with the given knobs (the ops treat missing knobs as their defaults). */
export function ctx(knobs: KnobValues = {}, scope: Scope = DEFAULT_SCOPE): RecordingContext {
  const notes: string[] = [];
  const warnings: string[] = [];
  return { scope, knobs, notes, warnings, note: (s) => void notes.push(s), warn: (m) => void warnings.push(m) };
}

/** What one application of an op answered and recorded. */
export interface Applied {
  result: OpResult;
  notes: string[];
  warnings: string[];
}

/** Apply `op` with explicit arguments to `state` in place, as replay does (no resolve). */
export function apply(state: State, op: OpDef, args: ArgRecord, knobs: KnobValues = {}): Applied {
  const c = ctx(knobs);
  const result = op.apply(state, args, c);
  return { result, notes: c.notes, warnings: c.warnings };
}

/** Apply `op`, assert it succeeded, and return what it answered. */
export function applyOk(state: State, op: OpDef, args: ArgRecord, knobs: KnobValues = {}): Applied {
  const a = apply(state, op, args, knobs);
  expect(a.result, `${op.name}(${JSON.stringify(args)})`).toMatchObject({ ok: true });
  return a;
}

/**
 * Apply `op`, assert it refused with `err`, and assert that it changed nothing (not one field of the
 * state): a refused hypercall has no effect. Returns what it noted.
 */
export function expectRefused(state: State, op: OpDef, args: ArgRecord, err: Errno, knobs: KnobValues = {}): Applied {
  const before = clonePlain(state);
  const a = apply(state, op, args, knobs);
  expect(a.result, `${op.name}(${JSON.stringify(args)})`).toEqual({ ok: false, err });
  expect(firstDifference(before, state), 'a refused op changed the state at').toBeUndefined();
  return a;
}

/** The p2m entry at (dom, gfn); fails the test when the slot is empty. */
export function p2m(state: State, dom: number, gfn: number): P2mEntry {
  const e = state.domains[dom].p2m[gfn];
  expect(e, `dom${dom} p2m gfn ${gfn}`).not.toBeNull();
  return e!;
}

/** A free RAM frame that the allocator has never handed out (the world leaves mfn 18.. free). */
export const FREE_MFN = 20;

/**
 * A derived fact as plain data: reach and refs build paths and holders lazily (objects with `toJSON`),
 * so tests compare them as the JSON a witness or a trace carries.
 */
export function plain<T>(fact: T): T {
  return JSON.parse(JSON.stringify(fact)) as T;
}

/** The witnesses a state invariant finds on a state. */
export function witnesses<W extends Witness>(inv: StateInvariant<W>, state: State): W[] {
  return inv.check(derive(state));
}
