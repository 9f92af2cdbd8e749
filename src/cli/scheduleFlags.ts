/**
 * The scheduling flags `fuzz` and `audit` share: `--workers N` (threads) and `--shard k/n` (this
 * machine's part of the work list). Neither changes a verdict or a trace: they only say where runs run.
 */
import { availableParallelism } from 'node:os';
import type { Shard } from '../schedule/shard.ts';
import { parseShard } from '../schedule/shard.ts';
import type { FlagSpec } from './args.ts';
import { UsageError } from './args.ts';

/** Most worker threads: far past any core count this runs on, low enough to catch a typo. */
export const WORKERS_MAX = 256;

/** `--workers N`. */
export const WORKERS_FLAG: FlagSpec = {
  kind: 'int',
  min: 1,
  max: WORKERS_MAX,
  value: 'N',
  help: 'worker threads running chunks of runs (default: the cores available); results are the same for any N',
};

/** `--shard k/n`. */
export const SHARD_FLAG: FlagSpec = {
  kind: 'string',
  value: 'k/n',
  help: "run only part k of n of the work list (CI matrices; 1-based); the n parts' union is the whole run",
};

/** The worker count: the flag, else the cores available; `--step-timeout 0` runs in-process, on one. */
export function workersOption(flag: number | undefined, stepTimeout: number | undefined): number {
  if (stepTimeout === 0) {
    if (flag !== undefined && flag > 1) throw new UsageError('--workers needs the watchdog: --step-timeout 0 runs campaigns in-process, on one thread');
    return 1;
  }
  return flag ?? availableParallelism();
}

/** The parsed `--shard`, or undefined when not given. */
export function shardOption(flag: string | undefined): Shard | undefined {
  if (flag === undefined) return undefined;
  const s = parseShard(flag);
  if (typeof s === 'string') throw new UsageError(s);
  return s;
}
