/**
 * What a stalled step becomes: an `error` verdict (a harness error, never a violation) for every
 * invariant of the campaign, whose message names the op and its arguments as the step probe last
 * published them, and whose failing action is that op, so the report shows what to look at.
 */
import type { CampaignResult, Counterexample } from '../../fuzz/campaign.ts';
import type { Action, ArgValue } from '../../model/core/op.ts';
import { emptyStats } from '../../runner/stats.ts';
import { ARG, MAX_ARGS, PHASE, PROBE } from '../../runner/stepProbe.ts';

/** The step the probe says was running when it stopped advancing. */
export interface StalledStep {
  phase: number;
  /** Index in the run's trace; -1 for the initial state. */
  step: number;
  /** Runs started in the worker (fuzzing and shrinking), the stuck one included. */
  run: number;
  /** The action as far as published (arguments that are not integers, booleans or strings are left out). */
  action?: Action;
  /** Arguments the probe had no room for, or could not encode. */
  elided: boolean;
}

/** Read the stalled step from the probe's cells, with the name table the worker sent. */
export function readStall(cells: Int32Array, names: ReadonlyMap<number, string>): StalledStep {
  const step = cells[PROBE.step];
  const phase = cells[PROBE.phase];
  const run = cells[PROBE.run];
  if (step < 0) return { phase, step, run, elided: false };
  const name = (id: number) => names.get(id) ?? `#${id}`;
  const action: Action = { op: name(cells[PROBE.op]) };
  const count = cells[PROBE.argCount];
  let elided = count > MAX_ARGS;
  for (let n = 0; n < Math.min(count, MAX_ARGS); n++) {
    const at = PROBE.args + 3 * n;
    const kind = cells[at + 1];
    const v = cells[at + 2];
    let value: ArgValue | undefined;
    if (kind === ARG.int) value = v;
    else if (kind === ARG.bool) value = v !== 0;
    else if (kind === ARG.string) value = name(v);
    if (value === undefined) elided = true;
    else action[name(cells[at])] = value;
  }
  return { phase, step, run, action, elided };
}

/** `mapForeign(dom=2, gfn=5)`. */
export function callText(s: StalledStep): string {
  if (s.action === undefined) return 'the initial state';
  const { op, ...args } = s.action;
  const list = Object.entries(args).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  if (s.elided) list.push('…');
  return `${op}(${list.join(', ')})`;
}

/** The one-line message for a step that did not finish within `seconds`. */
export function stallMessage(s: StalledStep, seconds: number): string {
  const limit = `within the ${seconds} s step timeout (--step-timeout)`;
  const where = `step ${s.step + 1} of run ${s.run}`;
  if (s.action === undefined) return `checking the invariants on the initial state did not finish ${limit}; the campaign was stopped`;
  if (s.phase === PHASE.applying) return `op ${callText(s)} did not return ${limit} (${where}); the campaign was stopped`;
  if (s.phase === PHASE.checking) return `the invariants checked after op ${callText(s)} did not finish ${limit} (${where}); the campaign was stopped`;
  return `the campaign stopped advancing after op ${callText(s)} (${where}: generating or shrinking) ${limit}; it was stopped`;
}

/** The campaign result for a campaign stopped at a stalled step. */
export function stalledResult(base: Pick<CampaignResult, 'design' | 'knobs' | 'seed'>, invariants: readonly string[], s: StalledStep, seconds: number, elapsedMs: number): CampaignResult {
  const message = stallMessage(s, seconds);
  const counterexample: Counterexample = {
    kind: 'error',
    // The steps before the stuck one died with the worker; the message and failing action remain.
    trace: [],
    step: s.step,
    violations: [],
    message,
    failingAction: s.phase === PHASE.applying ? s.action : undefined,
    seed: base.seed,
    originalLength: Math.max(0, s.step + 1),
  };
  return {
    ...base,
    verdicts: invariants.map((invariant) => ({ invariant, verdict: 'error', runs: s.run, steps: 0, counterexample })),
    stats: emptyStats(),
    elapsedMs,
    interrupted: false,
    stalled: message,
  };
}
