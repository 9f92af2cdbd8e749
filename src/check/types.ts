/**
 * What a bounded exhaustive check produces: per invariant a verdict with the shortest counterexample
 * (breadth-first, so no shorter trace in scope breaks it), and the size of what was explored.
 */
import type { Design } from '../model/core/design.ts';
import type { KnobValues } from '../model/core/op.ts';
import type { Scope } from '../model/core/scope.ts';
import type { Step, Violation } from '../runner/outcome.ts';
import type { Reduction } from './canon.ts';

/** A shortest counterexample: the explicit trace (the same Step format as fuzz) and where it breaks. */
export interface CheckCounterexample {
  kind: 'violation' | 'error';
  trace: Step[];
  /** Index in `trace` of the violating step; -1 for the initial state. */
  step: number;
  violations: Violation[];
  /** For an error: what the model threw, and the action whose apply threw (not in `trace`). */
  message?: string;
  failingAction?: Step['action'];
}

/** One invariant's verdict from the check. `vacuous`: it held, but a declared situation was never reached. */
export interface CheckVerdict {
  invariant: string;
  verdict: 'holds' | 'violated' | 'error' | 'vacuous';
  counterexample?: CheckCounterexample;
}

/** Why exploration stopped. */
export type StopReason =
  | 'exhausted' // no new state at the next depth: holds for traces of every length in scope
  | 'depth' // the depth bound was reached
  | 'max-states' // the state limit was reached before the depth bound
  | 'memory' // the JS heap neared its limit (the stored frontier's states) before the depth bound
  | 'interrupted' // Ctrl-C
  | 'all-violated'; // every checked invariant already has its shortest counterexample

/** The result of one check. */
export interface CheckResult {
  design: Design;
  knobs: KnobValues;
  scope: Scope;
  scopeName: string;
  reduction: Reduction;
  /** Whether symmetry could rename this design's states (false: the key fell back to plain). */
  symmetryApplied: boolean;
  depthBound: number;
  /** Every trace of at most this many actions was explored (all levels up to it are complete). */
  depthComplete: number;
  states: number;
  transitions: number;
  elapsedMs: number;
  /** CPU time of the process during the check (ms): states per CPU-second is the fairer rate on a loaded machine. */
  cpuMs: number;
  /** Peak resident set size (bytes), sampled during exploration. */
  peakRss: number;
  stopped: StopReason;
  maxStates: number;
  verdicts: CheckVerdict[];
  /** Risky situations noted along explored transitions (the same counters fuzz keeps). */
  situations: Record<string, number>;
  /** Declared situations (`sometimes`) no explored transition reached. */
  unreached: string[];
}
