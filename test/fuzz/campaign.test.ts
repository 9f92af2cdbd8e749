import { describe, expect, it } from 'vitest';
import { findInvariant } from '../../invariants/registry.ts';
import { runCampaign } from '../../src/fuzz/campaign.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { toyBoom, toyDesign, toyLeak, toyNoop } from '../fixtures/toyDesign.ts';

const quota = findInvariant('quota-matches-ownership')!;
const opts = { seed: 5, budget: { runs: 200 }, scope: DEFAULT_SCOPE, knobs: {}, invariants: [quota] };

describe('runCampaign on the toy design', () => {
  it('finds the violation and shrinks it to the one step that causes it', () => {
    const r = runCampaign(toyDesign(), opts);
    const v = r.verdicts[0];
    expect(v.verdict).toBe('violated');
    expect(v.counterexample!.trace.map((s) => s.action)).toEqual([{ op: 'toyLeak', n: 2 }]);
    expect(v.counterexample!.originalLength).toBeGreaterThanOrEqual(1);
  });

  it('reports a model exception as an error verdict with its minimal trace', () => {
    const r = runCampaign(toyDesign([toyNoop, toyBoom]), opts);
    const v = r.verdicts[0];
    expect(v.verdict).toBe('error');
    expect(v.counterexample).toMatchObject({ kind: 'error', message: 'toy model bug', step: 0 });
    expect(v.counterexample!.trace).toEqual([]);
    expect(v.counterexample!.failingAction).toEqual({ op: 'toyBoom', n: 3 });
  });

  it('holds when nothing can break, after the whole budget', () => {
    const r = runCampaign(toyDesign([toyNoop]), opts);
    expect(r.verdicts[0]).toMatchObject({ verdict: 'holds', runs: 200 });
    expect(r.stats.runs).toBe(200);
    expect(r.stats.steps).toBeGreaterThan(200);
  });

  it('is deterministic for a seed', () => {
    const a = runCampaign(toyDesign([toyNoop, toyLeak]), opts);
    const b = runCampaign(toyDesign([toyNoop, toyLeak]), opts);
    expect(b.verdicts[0].counterexample!.path).toBe(a.verdicts[0].counterexample!.path);
    expect(b.stats).toEqual(a.stats);
  });
});
