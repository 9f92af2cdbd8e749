import { describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/audit.ts';
import { loadDesignFile } from '../../src/audit/designFile.ts';
import { answerLine, renderAudit } from '../../src/audit/auditReport.ts';
import type { Design } from '../../src/model/core/design.ts';
import { kvmgtPageTrack } from '../../src/model/gpuShadow/designs/kvmgtPageTrack.ts';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { runCampaign } from '../../src/fuzz/campaign.ts';
import { knobDefaults } from '../../src/model/core/design.ts';
import { findInvariant } from '../../invariants/registry.ts';

async function design(file: string): Promise<Design> {
  const r = await loadDesignFile(file);
  if (!r.ok) throw new Error(r.message);
  return r.design;
}

describe('differential replay both ways', () => {
  it('a proposal that only weakens the search is not "newly fixed": the baseline\'s trace still breaks it', async () => {
    const weak = await design('test/fixtures/designs/translateWeakSearch.ts');
    const budget = { runs: 60 };
    // The candidate's own search finds nothing: on its campaign alone, no-stale-reference "holds".
    const own = runCampaign(weak, { seed: 1, budget, scope: DEFAULT_SCOPE, knobs: knobDefaults(weak), invariants: [findInvariant('no-stale-reference')!] });
    expect(own.verdicts[0].verdict).toBe('holds');
    const r = await runAudit({ baseline: xenTranslateGpfn, candidate: weak, seed: 1, budget, scope: DEFAULT_SCOPE, corpusFiles: [] });
    const row = r.rows.find((x) => x.invariant === 'no-stale-reference')!;
    expect(row.baseline.verdict).toBe('violated');
    expect(row.change).toBe('unchanged');
    expect(row.candidate).toMatchObject({ verdict: 'violated', evidence: { from: 'replay' } });
    expect(row.replays).toContainEqual(expect.objectContaining({ whose: 'baseline', from: 'fuzz', verdict: 'violates' }));
    expect(r.newlyFixed).toBe(0);
    expect(answerLine(r)).toBe('no invariant newly broken, 0 fixed; evidence: 60 runs per design; no exhaustive pass: not requested');
  });

  it('a second, different break of an invariant the baseline already breaks is "broken differently", with the new trace', async () => {
    const lost = await design('test/fixtures/designs/kvmgtLostTrackWrite.ts');
    const r = await runAudit({ baseline: kvmgtPageTrack, candidate: lost, seed: 1, budget: { runs: 100 }, scope: DEFAULT_SCOPE, corpusFiles: [] });
    const row = r.rows.find((x) => x.invariant === 'shadow-matches-guest')!;
    expect(row.baseline.verdict).toBe('violated');
    expect(row.change).toBe('broken differently');
    // The new trace breaks it with a CPU write alone — no emulated device DMA, the baseline's way.
    const ops = row.newBreak!.trace.map((s) => s.action.op);
    expect(ops).toContain('guestWritePte');
    expect(row.onBaseline).toMatch(/^holds through all \d+ steps$/);
    expect(r.brokenDifferently).toBe(1);
    expect(r.rows.filter((x) => x.change !== 'unchanged').map((x) => x.invariant)).toEqual(['shadow-matches-guest']);
    const text = renderAudit(r, 'npx shadowcheck audit test/fixtures/designs/kvmgtLostTrackWrite.ts');
    expect(text.split('\n')[0]).toBe('0 invariants newly broken, 1 broken differently, 0 fixed; evidence: 100 runs per design; no exhaustive pass: not requested');
    expect(text).toContain('── shadow-matches-guest broken differently by kvmgt-lost-track-write');
  });

  it('the baseline itself as candidate: every shared break replays on both, nothing broken differently', async () => {
    const same = { ...kvmgtPageTrack, id: 'kvmgt-copy' };
    const r = await runAudit({ baseline: kvmgtPageTrack, candidate: same, seed: 1, budget: { runs: 100 }, scope: DEFAULT_SCOPE, corpusFiles: [] });
    const row = r.rows.find((x) => x.invariant === 'shadow-matches-guest')!;
    expect(row.change).toBe('unchanged');
    expect(row.differentialRuns).toBe(100);
    expect(row.replays.map((x) => x.verdict)).toEqual(['violates', 'violates']);
  });
});
