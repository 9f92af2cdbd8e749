import { describe, expect, it } from 'vitest';
import { fuzzJobs, parseFuzzArgs } from '../../src/cli/fuzzCommand.ts';
import { parseShard, shardJobs } from '../../src/schedule/shard.ts';
import type { CampaignJob } from '../../src/schedule/scheduler.ts';

/** (campaign, invariant) items of a work list, as comparable strings. */
function items(jobs: readonly CampaignJob[]): string[] {
  return jobs.flatMap((j) => j.invariants.map((inv) => `${j.design.id}|${JSON.stringify(j.knobs)}|${inv.id}`));
}

describe('--shard k/n', () => {
  const all = fuzzJobs(parseFuzzArgs([]));

  it('parses k/n, 1-based, and says what is wrong otherwise', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('0/4')).toMatch(/JOB_COMPLETION_INDEX is 0-based, add 1/);
    expect(parseShard('5/4')).toMatch(/k must be 1 to 4/);
    expect(parseShard('2-4')).toMatch(/takes k\/n/);
    expect(parseShard('1/0')).toMatch(/n must be/);
  });

  it('the n parts are disjoint, in order, and together the whole default work list, for every n from 1 to 9 and past the item count', () => {
    const whole = items(all);
    expect(whole.length).toBeGreaterThan(100);
    for (const n of [1, 2, 3, 4, 5, 7, 9, whole.length + 3]) {
      const parts = Array.from({ length: n }, (_, k) => items(shardJobs(all, { index: k + 1, count: n })));
      expect(parts.flat()).toEqual(whole);
      // Near-equal: no part more than one item larger than another.
      const sizes = parts.map((p) => p.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('cuts the list into contiguous runs, so at most n − 1 campaigns are split between shards', () => {
    const n = 4;
    const campaignsPerShard = Array.from({ length: n }, (_, k) => shardJobs(all, { index: k + 1, count: n }).length);
    expect(campaignsPerShard.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(all.length + n - 1);
  });
});
