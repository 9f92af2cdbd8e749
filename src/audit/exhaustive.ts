/**
 * The hook for a bounded exhaustive pass in an audit: once a breadth-first checker is available
 * (`shadowcheck check`), the audit runs it on both designs in their small scope and its
 * counterexamples join the fuzzer's — replayed on the other side like any other trace — so that
 * "nothing newly broken" states its reach: "in N runs and in all traces ≤ d actions in scope S".
 * The audit itself does not depend on any particular checker: it takes one as an option.
 */
import type { Invariant } from '../../invariants/types.ts';
import type { Design } from '../model/core/design.ts';
import type { Step, Violation } from '../runner/outcome.ts';

/** A counterexample the exhaustive pass found: the shortest trace to a violation of `invariant`. */
export interface ExhaustiveFinding {
  invariant: string;
  trace: Step[];
  /** Index in `trace` of the violating step. */
  step: number;
  violations: Violation[];
}

/** What an exhaustive pass explored on one design and what it found. */
export interface ExhaustiveResult {
  /** Every trace of at most this many actions was explored. */
  depth: number;
  /** The scope explored, in words ("2 domains, 6 frames"). */
  scope: string;
  /** Distinct states visited (after symmetry reduction, if any). */
  states: number;
  findings: ExhaustiveFinding[];
}

/** A bounded exhaustive checker as the audit calls it. */
export type ExhaustivePass = (design: Design, invariants: readonly Invariant[]) => Promise<ExhaustiveResult>;
