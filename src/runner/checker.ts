/**
 * A prepared checker: one design with knob values and a scope, the invariants to check, the initial
 * world built once. Running an action list clones the world, applies each action and checks the
 * invariants after every step on one shared computation of the derived relations.
 */
import type { Invariant, StateInvariant, TransitionInvariant } from '../../invariants/types.ts';
import type { Design } from '../model/core/design.ts';
import type { Scope } from '../model/core/scope.ts';
import type { State } from '../model/core/state.ts';
import type { KnobValues, OpDef } from '../model/core/op.ts';

/** Everything a run needs, prepared once per campaign. */
export interface Checker {
  design: Design;
  knobs: KnobValues;
  scope: Scope;
  world: State;
  ops: Map<string, OpDef>;
  /** The design's ops in generation order. */
  opList: readonly OpDef[];
  invariants: readonly Invariant[];
  stateInvariants: readonly StateInvariant[];
  /** Transition invariants by the op they watch: only those steps pay for a snapshot. */
  transitions: Map<string, TransitionInvariant[]>;
  /** Transition invariants that watch every op (`ops: 'every'`): every step needs the state before it. */
  everyStep: readonly TransitionInvariant[];
}

/** Prepare a checker. */
export function makeChecker(design: Design, knobs: KnobValues, scope: Scope, invariants: readonly Invariant[]): Checker {
  const transitions = new Map<string, TransitionInvariant[]>();
  const stateInvariants: StateInvariant[] = [];
  const everyStep: TransitionInvariant[] = [];
  for (const inv of invariants) {
    if (inv.kind === 'state') {
      stateInvariants.push(inv);
      continue;
    }
    if (inv.ops === 'every') {
      everyStep.push(inv);
      continue;
    }
    for (const op of inv.ops) {
      const list = transitions.get(op) ?? [];
      list.push(inv);
      transitions.set(op, list);
    }
  }
  return {
    design,
    knobs,
    scope,
    world: design.buildWorld(scope, knobs),
    ops: new Map(design.ops.map((o) => [o.name, o])),
    // An op a setting rules out (a compromised principal's move in a world where it is correct) is not generated.
    opList: design.ops.filter((o) => o.generatedWhen?.(knobs) ?? true),
    invariants,
    stateInvariants,
    transitions,
    everyStep,
  };
}
