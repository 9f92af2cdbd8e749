/**
 * The runner's side of the per-step watchdog: before each step it publishes which op it is about to
 * apply, with which arguments, into shared memory another thread can read while this one is stuck —
 * a synchronous `while (true) {}` in an op can only be seen, and stopped, from outside the thread.
 *
 * Nothing is published unless a probe is installed (the watchdog's worker installs one), so the
 * in-process path pays one `undefined` check per step. Names (op names, argument names, string
 * values) travel as small integers from a table the installer keeps: a step writes integers only.
 */
import type { Action } from '../model/core/op.ts';

/** Cell indices in the probe's Int32Array. */
export const PROBE = {
  /** Bumped at the start of every step and at every run: "still advancing". */
  heartbeat: 0,
  /** What the thread is doing in the current step (a `PHASE` value). */
  phase: 1,
  /** Name id of the op being applied. */
  op: 2,
  /** Index in the trace of the step being applied. */
  step: 3,
  /** Runs started since the probe was installed (fuzzing runs and shrinking re-runs alike). */
  run: 4,
  /** Set by the watching thread: stop at the next chunk boundary (Ctrl-C). Not written by the runner. */
  stop: 5,
  /** Arguments published for the current step (at most `MAX_ARGS`). */
  argCount: 6,
  /** First argument cell; each argument takes three: name id, `ARG` kind, value. */
  args: 7,
} as const;

/** How many arguments of a step are published (an op with more has the rest shown as elided). */
export const MAX_ARGS = 8;

/** Cells a probe needs. */
export const PROBE_CELLS = PROBE.args + 3 * MAX_ARGS;

/** What the stepping thread is doing. */
export const PHASE = { between: 0, applying: 1, checking: 2 } as const;

/** How an argument value is encoded in its value cell. */
export const ARG = { int: 0, bool: 1, string: 2, other: 3 } as const;

/** A probe: shared cells, and the table that gives names their ids. */
export interface StepProbe {
  cells: Int32Array;
  /** The id of a name or string value; the installer makes new ones known to the watching thread. */
  nameId(name: string): number;
}

let installed: StepProbe | undefined;

/** Install (or, with undefined, remove) the probe every run in this thread publishes to. */
export function installStepProbe(probe: StepProbe | undefined): void {
  installed = probe;
}

/** The installed probe, read once per run. */
export function stepProbe(): StepProbe | undefined {
  return installed;
}

/** A run starts: it counts as progress. */
export function publishRun(probe: StepProbe): void {
  const c = probe.cells;
  c[PROBE.run] += 1;
  // Until its first step, a run is checking its initial state (step -1).
  c[PROBE.step] = -1;
  c[PROBE.argCount] = 0;
  c[PROBE.phase] = PHASE.checking;
  Atomics.add(c, PROBE.heartbeat, 1);
}

/** Step `step` is about to apply `action`. */
export function publishStep(probe: StepProbe, step: number, action: Action): void {
  const c = probe.cells;
  c[PROBE.op] = probe.nameId(action.op);
  c[PROBE.step] = step;
  let n = 0;
  for (const key in action) {
    if (key === 'op') continue;
    if (n === MAX_ARGS) {
      n += 1;
      break;
    }
    const v = action[key];
    const at = PROBE.args + 3 * n;
    c[at] = probe.nameId(key);
    if (typeof v === 'number' && (v | 0) === v) {
      c[at + 1] = ARG.int;
      c[at + 2] = v;
    } else if (typeof v === 'boolean') {
      c[at + 1] = ARG.bool;
      c[at + 2] = v ? 1 : 0;
    } else if (typeof v === 'string') {
      c[at + 1] = ARG.string;
      c[at + 2] = probe.nameId(v);
    } else {
      c[at + 1] = ARG.other;
    }
    n += 1;
  }
  c[PROBE.argCount] = n;
  c[PROBE.phase] = PHASE.applying;
  Atomics.add(c, PROBE.heartbeat, 1);
}

/** The op returned; the invariants are being checked on the new state. */
export function publishChecking(probe: StepProbe): void {
  probe.cells[PROBE.phase] = PHASE.checking;
}

/** The step is checked: whatever follows (generation, shrinking) is between steps. */
export function publishBetween(probe: StepProbe): void {
  probe.cells[PROBE.phase] = PHASE.between;
}
