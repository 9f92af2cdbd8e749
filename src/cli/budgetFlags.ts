/**
 * The flags `fuzz` and `audit` share — seed, budget, trace length — declared once so both check the
 * same ranges. A budget that checks nothing (`--runs 0`, `--max-actions 0`) is refused: it would
 * print "holds" having tested nothing.
 */
import type { FlagSpec } from './args.ts';

/** Largest seed: fast-check seeds are 32-bit, so a larger one would silently alias a smaller one. */
export const SEED_MAX = 2 ** 32 - 1;

/**
 * Longest action sequence a run may generate. Memory grows with it (each step keeps its state for
 * shrinking and the trace); the default is 50, and far past a few hundred a run is no longer a
 * counterexample anyone reads.
 */
export const MAX_ACTIONS_MAX = 1000;

/** Longest time budget: a week, so a typo of several digits is caught. */
export const TIME_MAX_SECONDS = 7 * 24 * 3600;

/** `--seed N`. */
export const SEED_FLAG: FlagSpec = { kind: 'int', min: 0, max: SEED_MAX, value: 'N', help: `seed of the campaigns, 0 to ${SEED_MAX} (decimal or 0x hex; default 1)` };
/** `--runs N`. */
export const RUNS_FLAG: FlagSpec = { kind: 'int', min: 0, value: 'N', help: 'runs per campaign (default 1000; 0 runs none, and a design declaring risky situations is then vacuous)' };
/** `--time SECONDS`. */
export const TIME_FLAG: FlagSpec = { kind: 'number', min: 0.001, max: TIME_MAX_SECONDS, value: 'SECONDS', help: 'time budget for the whole command instead of --runs (shared by every campaign)' };
/** `--max-actions N`. */
export const MAX_ACTIONS_FLAG: FlagSpec = { kind: 'int', min: 0, max: MAX_ACTIONS_MAX, value: 'N', help: `longest action sequence per run, 0 to ${MAX_ACTIONS_MAX} (default 50)` };

/** Longest stall limit: an hour (a step of the built-in designs takes microseconds). */
export const STEP_TIMEOUT_MAX_SECONDS = 3600;

/** `--step-timeout SECONDS`: the per-step watchdog's stall limit; 0 turns the watchdog off. */
export const STEP_TIMEOUT_FLAG: FlagSpec = {
  kind: 'number',
  min: 0,
  max: STEP_TIMEOUT_MAX_SECONDS,
  value: 'SECONDS',
  help: 'stop a campaign whose op has not returned for this long and report an error naming it (default 10; 0: no watchdog, run in-process)',
};
