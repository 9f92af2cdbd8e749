/**
 * What running an action list produces: `ok | violation | error` with the explicit trace. The trace
 * holds resolved arguments and results, so it replays without the seed that generated it.
 */
import type { Witness } from '../../invariants/types.ts';
import type { InjectedFault } from '../model/core/faults.ts';
import type { Action, OpResult } from '../model/core/op.ts';

/** One executed step: the explicit action and the hypercall's answer. */
export interface Step {
  action: Action;
  result: OpResult;
  /** Warnings the step logged (policy 'warn' paths); absent when none. */
  warnings?: string[];
  /** The fallible point fault injection failed in this step (its errno is the result); absent when none. */
  fault?: InjectedFault;
}

/** An invariant broken at a step, with its witnesses. */
export interface Violation {
  invariant: string;
  witnesses: Witness[];
}

/** The result of one run. `step` is the index in `trace` (-1: the initial state). */
export type Outcome =
  | { kind: 'ok'; trace: Step[] }
  | { kind: 'violation'; trace: Step[]; step: number; violations: Violation[] }
  | {
      kind: 'error';
      trace: Step[];
      step: number;
      message: string;
      stack?: string;
      /** The action whose `apply` threw (absent when an invariant threw); it is not in `trace`. */
      action?: Action;
      /** Set when the op's `resolve` or `enabled` threw on a generated action: the op, what it was given, and which. */
      during?: { phase: 'resolve' | 'enabled'; op: string; raw: Record<string, unknown> };
    };
