/**
 * A design: one variant of the hypervisor interface — the semantics of each operation, its policy
 * knobs, the world it runs in, and which invariants it is expected to break (so known-bad designs are
 * regression tests of the harness itself).
 */
import type { Scope } from './scope.ts';
import type { State } from './state.ts';
import type { KnobValues, OpDef } from './op.ts';

/** A knob's value type. */
export type KnobValue = string | number | boolean;

/** One policy knob of a design. */
export interface KnobDef {
  description: string;
  values: readonly KnobValue[];
  default: KnobValue;
}

/** What a design is expected to do for one invariant, and why (shown in reports). */
export interface Expectation {
  verdict: 'holds' | 'violated';
  why: string;
}

/** A named interface variant. */
export interface Design {
  id: string;
  title: string;
  description: string;
  /** The seed thread and mail it comes from. */
  source: string;
  knobs: Record<string, KnobDef>;
  ops: readonly OpDef[];
  /** Ids of the invariants that apply to this design. */
  invariants: readonly string[];
  /** Expected verdicts for the given knob values; an invariant not named is expected to hold. */
  expect(knobs: KnobValues): Record<string, Expectation>;
  /**
   * Notable knob settings besides the defaults (e.g. `{ checkTarget: false }`): the default campaign,
   * the property suites and the benchmark run each, so expectations that follow knobs stay checked.
   */
  variants?: readonly KnobValues[];
  /** The initial state for a scope and knob values. */
  buildWorld(scope: Scope, knobs: KnobValues): State;
}

/** Knob values with defaults filled in. */
export function knobDefaults(design: Design): KnobValues {
  const out: KnobValues = {};
  for (const [name, k] of Object.entries(design.knobs)) out[name] = k.default;
  return out;
}

/** The expectation for one invariant under given knobs. */
export function expectationFor(design: Design, knobs: KnobValues, invariant: string): Expectation {
  return design.expect(knobs)[invariant] ?? { verdict: 'holds', why: 'believed sound for this invariant' };
}
