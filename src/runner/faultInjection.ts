/**
 * Fault plans: which fallible points (src/model/core/faults.ts) fail during a run. The runner asks the
 * plan for a site per step and records the failure it injected on the step (`Step.fault`), so a trace
 * names its faults explicitly and replays without the plan that chose them.
 *  - `failNth(n)`: the n-th point reached along the run fails (iommufd's `fail_nth`); the sweep runs
 *    n = 1, 2, … until a run reaches fewer than n points.
 *  - `randomFaults(seed, rate)`: each point fails with probability `rate`, decided by a hash of
 *    (seed, step, point ordinal), so the same inputs fail the same points.
 *  - `recordedFaults(trace)`: the failures a recorded trace names, for replay and minimisation.
 */
import type { FalliblePoint, FaultSite, InjectedFault } from '../model/core/faults.ts';
import { POINT_ERRNO } from '../model/core/faults.ts';
import type { Errno } from '../model/core/op.ts';

/** One step's fault site, which also tells what it injected. */
export interface StepFaults extends FaultSite {
  /** The failure this site injected during the step, if any. */
  injected(): InjectedFault | undefined;
}

/** Which fallible points fail: a site for the step applying input action `input` (its index in the run's input). */
export interface FaultPlan {
  forStep(input: number): StepFaults;
}

/** Decides, for the `at`-th point of a step (1-based), whether it fails. */
type Decide = (point: FalliblePoint, at: number) => boolean;

/** A site that fails the first point `decide` picks and nothing after it (a failed op stops there). */
function site(decide: Decide, onReach?: () => void): StepFaults {
  let at = 0;
  let fault: InjectedFault | undefined;
  return {
    reach(point: FalliblePoint): Errno | undefined {
      at += 1;
      onReach?.();
      if (fault !== undefined || !decide(point, at)) return undefined;
      fault = { point, at, err: POINT_ERRNO[point] };
      return fault.err;
    },
    injected: () => fault,
  };
}

/** The plan failing the n-th fallible point reached in the run (1-based), and how many points it reached. */
export interface FailNthPlan extends FaultPlan {
  /** Fallible points reached so far in the run. */
  reached(): number;
  /** Whether the n-th point was reached (and so failed). */
  fired(): boolean;
}

/** Fail the n-th fallible point reached along the run (1-based), like a write to iommufd's `fail_nth`. */
export function failNth(n: number): FailNthPlan {
  let reached = 0;
  return {
    forStep: () => site(() => reached === n, () => void (reached += 1)),
    reached: () => reached,
    fired: () => reached >= n,
  };
}

/** A 32-bit mix of the inputs (splitmix-style finaliser): the same inputs always give the same value. */
function mix(seed: number, input: number, at: number): number {
  let h = (seed ^ Math.imul(input + 1, 0x9e3779b1) ^ Math.imul(at, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Each fallible point fails with probability `rate` (0..1), decided from (seed, step input index, point ordinal). */
export function randomFaults(seed: number, rate: number): FaultPlan {
  const threshold = Math.floor(Math.max(0, Math.min(1, rate)) * 2 ** 32);
  return { forStep: (input) => site((_point, at) => mix(seed, input, at) < threshold) };
}

/**
 * The failures a recorded trace names: step i fails its `at`-th point if that point is of the recorded
 * kind. A model whose op no longer reaches that point there injects nothing, and replay sees the answer differ.
 */
export function recordedFaults(steps: readonly { fault?: InjectedFault }[]): FaultPlan {
  return {
    forStep(input) {
      const want = steps[input]?.fault;
      return site((point, at) => want !== undefined && at === want.at && point === want.point);
    },
  };
}

/** Whether any step of a trace names an injected failure. */
export function hasFaults(steps: readonly { fault?: InjectedFault }[]): boolean {
  return steps.some((s) => s.fault !== undefined);
}
