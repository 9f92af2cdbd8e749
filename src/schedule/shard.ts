/**
 * `--shard k/n`: the k-th of n disjoint parts of a work list, so a CI engine's matrix (GitHub Actions
 * `strategy.matrix`, GitLab `parallel`, a Kubernetes Indexed Job) runs one campaign bigger than a
 * machine. The unit is a (design, knob setting, invariant) item; the list is cut into n contiguous
 * runs of items of near-equal count, so most campaigns stay whole (their invariants share one joint
 * search) and only those at a cut are split. Any split gives the same verdicts and traces: an
 * invariant's verdict depends only on its own search (the joint search of several is a shortcut
 * taken when none fails). Seed chunks are never split across shards: a shard could not know that a
 * lower chunk on another machine failed first.
 */
import type { CampaignJob } from './scheduler.ts';

/** Part `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Most shards accepted: far beyond any CI matrix (GitHub's is 256 jobs), small enough to catch a typo. */
export const SHARD_COUNT_MAX = 10000;

/** Parse `k/n` (1 ≤ k ≤ n); a string says what is wrong. */
export function parseShard(text: string): Shard | string {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (m === null) return `--shard takes k/n (this machine's part k of n, 1-based), not '${text}'`;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > SHARD_COUNT_MAX) return `--shard: n must be 1 to ${SHARD_COUNT_MAX}, not ${count}`;
  if (index < 1 || index > count) return `--shard: k must be 1 to ${count} (1-based: a Kubernetes JOB_COMPLETION_INDEX is 0-based, add 1), not ${index}`;
  return { index, count };
}

/** The jobs of shard `shard`: the same order, each keeping only its invariants in this shard's range of items. */
export function shardJobs(jobs: readonly CampaignJob[], shard: Shard): CampaignJob[] {
  const items = jobs.flatMap((job, j) => job.invariants.map((inv) => ({ j, inv })));
  const from = Math.floor(((shard.index - 1) * items.length) / shard.count);
  const to = Math.floor((shard.index * items.length) / shard.count);
  const out: CampaignJob[] = [];
  let last = -1;
  for (const { j, inv } of items.slice(from, to)) {
    if (j !== last) out.push({ ...jobs[j], invariants: [] });
    last = j;
    (out[out.length - 1].invariants as typeof inv[]).push(inv);
  }
  return out;
}
