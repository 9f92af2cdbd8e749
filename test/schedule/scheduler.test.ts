import { describe, expect, it } from 'vitest';
import { INVARIANTS } from '../../invariants/registry.ts';
import type { CampaignResult } from '../../src/fuzz/campaign.ts';
import { CHUNK_RUNS, runCampaign } from '../../src/fuzz/campaign.ts';
import { knobDefaults } from '../../src/model/core/design.ts';
import type { Design } from '../../src/model/core/design.ts';
import { findDesign } from '../../src/model/designs.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { IN_PROCESS } from '../../src/schedule/inProcess.ts';
import type { CampaignJob, ChunkExecutor } from '../../src/schedule/scheduler.ts';
import { runSchedule } from '../../src/schedule/scheduler.ts';

function job(id: string): CampaignJob {
  const design = findDesign(id)!;
  return { design, knobs: knobDefaults(design), invariants: INVARIANTS.filter((i) => design.invariants.includes(i.id)) };
}

/** A result as reports see it, without the design object and wall-clock times. */
function comparable(r: CampaignResult | undefined): unknown {
  if (r === undefined) return undefined;
  const { design: _d, elapsedMs: _t, ...rest } = r;
  return JSON.parse(JSON.stringify(rest, (k, v) => (k === 'msToFirstFailure' ? undefined : v)));
}

/**
 * An executor with `slots` slots that finishes chunks out of order: each waits some event-loop turns
 * first — later chunks fewer (`reverse`), or a number picked from the chunk's seed — so later chunks
 * often come back before earlier ones.
 */
function shuffling(slots: number, reverse: boolean, log: number[] = []): ChunkExecutor {
  return {
    slots,
    async run(j, invariants, scope, chunk) {
      log.push(chunk.index);
      const turns = reverse ? 4 * Math.max(0, 5 - chunk.index) : chunk.seed % 7;
      for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      return IN_PROCESS.run(j, invariants, scope, chunk);
    },
  };
}

describe('the scheduler', () => {
  const jobs = ['xen-translate-gpfn', 'kvmgt-page-track', 'xen-map-for-dma'].map(job);
  const sequential = jobs.map((j) => runCampaign(j.design, { seed: 5, budget: { runs: 160 }, scope: DEFAULT_SCOPE, knobs: j.knobs, invariants: j.invariants }));

  it('gives exactly the sequential campaign’s results — verdicts, traces, runs, steps, statistics — for 1 and 3 slots finishing out of order', async () => {
    expect(sequential.some((r) => r.verdicts.some((v) => v.verdict === 'violated'))).toBe(true);
    expect(sequential.some((r) => r.verdicts.some((v) => v.verdict === 'holds'))).toBe(true);
    for (const [slots, reverse] of [[1, false], [3, false], [3, true]] as const) {
      const dispatched: number[] = [];
      const reported: number[] = [];
      const got = await runSchedule(jobs, { seed: 5, budget: { runs: 160 }, scope: DEFAULT_SCOPE, onCampaign: (i) => void reported.push(i) }, shuffling(slots, reverse, dispatched));
      expect(got.map(comparable)).toEqual(sequential.map(comparable));
      // Campaigns are reported in work-list order however their chunks finished.
      expect(reported).toEqual([0, 1, 2]);
    }
  });

  it('a stop request: started campaigns end interrupted after their running chunks, the others are not run', async () => {
    let chunks = 0;
    const counting: ChunkExecutor = { slots: 1, run: (...a) => ((chunks += 1), IN_PROCESS.run(...a)) };
    const got = await runSchedule([job('rmrr-v2'), job('rmrr-2014')], { seed: 1, budget: { runs: 1000 }, scope: DEFAULT_SCOPE, shouldStop: () => chunks >= 2 }, counting);
    expect(got[0]?.interrupted).toBe(true);
    expect(got[0]?.verdicts[0].runs).toBe(2 * CHUNK_RUNS);
    expect(got[1]).toBeUndefined();
  });

  it('a time budget is one deadline for the whole schedule, shared evenly: every campaign gets about the same runs', async () => {
    let clock = 0;
    // Each chunk "takes" one second of a fake clock: the test never depends on the real one.
    const ticking: ChunkExecutor = { slots: 2, run: async (...a) => { const r = await IN_PROCESS.run(...a); clock += 1000; return r; } };
    const sound = (d: Design, knobs = knobDefaults(d)): CampaignJob => ({ design: d, knobs, invariants: INVARIANTS.filter((i) => d.invariants.includes(i.id)).slice(0, 2) });
    const xen = findDesign('xen-map-for-dma')!;
    const three = [sound(xen), sound(xen), sound(findDesign('rmrr-2014')!)];
    const got = await runSchedule(three, { seed: 1, budget: { seconds: 12 }, scope: DEFAULT_SCOPE, now: () => clock }, ticking);
    const runs = got.map((r) => r!.verdicts[0].runs);
    const chunks = runs.reduce((a, b) => a + b, 0) / CHUNK_RUNS;
    // 12 seconds of 1-second chunks, plus at most one more started per slot as the deadline passed.
    expect(chunks).toBeGreaterThanOrEqual(12);
    expect(chunks).toBeLessThanOrEqual(12 + ticking.slots);
    expect(Math.max(...runs) - Math.min(...runs)).toBeLessThanOrEqual(CHUNK_RUNS);
    expect(got.every((r) => r!.interrupted === false)).toBe(true);
  });

  it('past the deadline every search still gets one chunk: no verdict rests on zero runs', async () => {
    let clock = 0;
    const slow: ChunkExecutor = { slots: 1, run: async (...a) => { const r = await IN_PROCESS.run(...a); clock += 60_000; return r; } };
    const got = await runSchedule([job('xen-map-for-dma'), job('xen-translate-gpfn')], { seed: 1, budget: { seconds: 1 }, scope: DEFAULT_SCOPE, now: () => clock }, slow);
    for (const r of got) for (const v of r!.verdicts) expect(v.runs).toBeGreaterThanOrEqual(1);
  });
});
