/**
 * Declared "sometimes" situations: a campaign or check that holds every invariant without reaching
 * one is `vacuous`, never `holds` — so `--runs 0` and `--max-actions 0` cannot pass.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knobDefaults } from '../../src/model/core/design.ts';
import { DESIGNS, findDesign } from '../../src/model/designs.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { runCampaign } from '../../src/fuzz/campaign.ts';
import { invariantsOf } from '../../src/fuzz/fuzzDesign.ts';
import { runCheck } from '../../src/check/explore.ts';
import { checkScopeOf } from '../../src/check/scopes.ts';
import { declaredSituations } from '../../src/runner/stats.ts';
import { main } from '../../src/cli/main.ts';

/** Every knob setting a design is campaigned with by default. */
function settings(d: (typeof DESIGNS)[number]) {
  const base = knobDefaults(d);
  return [base, ...(d.variants ?? []).map((v) => ({ ...base, ...v }))];
}

/** All source text of the model, to find where each situation is noted. */
function modelSource(dir = 'src/model'): string {
  return readdirSync(dir)
    .map((f) => join(dir, f))
    .map((p) => (statSync(p).isDirectory() ? modelSource(p) : p.endsWith('.ts') ? readFileSync(p, 'utf8') : ''))
    .join('\n');
}

describe('vacuous verdicts', () => {
  it('every design declares situations, and each is noted by some op (a renamed counter is caught here)', () => {
    const src = modelSource();
    for (const d of DESIGNS) {
      for (const knobs of settings(d)) {
        const declared = declaredSituations(d, knobs);
        expect(declared.length, d.id).toBeGreaterThan(0);
        for (const s of declared) expect(src.includes(`'${s}'`), `${d.id}: ${s}`).toBe(true);
      }
    }
  });

  it('every design and knob setting run with 0 runs, or 0 actions, is vacuous — never holds', () => {
    for (const d of DESIGNS) {
      for (const knobs of settings(d)) {
        for (const [runs, maxActions] of [
          [0, 50],
          [20, 0],
        ]) {
          const r = runCampaign(d, { seed: 1, budget: { runs }, scope: { ...DEFAULT_SCOPE, maxActions }, knobs, invariants: invariantsOf(d) });
          // A setting whose booted world already breaks what it is expected to break (ioasid-fd's
          // accounting=child-too charges the pre-booted nested child) is violated by the empty trace.
          const expected = d.expect(knobs);
          const bootBroken = (v: (typeof r.verdicts)[number]) => v.verdict === 'violated' && expected[v.invariant]?.verdict === 'violated' && v.counterexample?.trace.length === 0;
          expect(r.verdicts.map((v) => (bootBroken(v) ? 'vacuous' : v.verdict)), `${d.id} runs=${runs} maxActions=${maxActions}`).toEqual(r.verdicts.map(() => 'vacuous'));
          expect(r.unreached).toEqual([...declaredSituations(d, knobs)]);
        }
      }
    }
  });

  it('a campaign that reaches the situations holds (the sound design, default budget from seed 1)', () => {
    const d = findDesign('xen-map-for-dma')!;
    const r = runCampaign(d, { seed: 1, budget: { runs: 300 }, scope: DEFAULT_SCOPE, knobs: knobDefaults(d), invariants: invariantsOf(d) });
    expect(r.unreached).toBeUndefined();
    // Every invariant the design is meant to hold does (the level invariants it is known to break aside).
    const expected = d.expect(knobDefaults(d));
    expect(r.verdicts.filter((v) => v.verdict !== 'holds' && expected[v.invariant]?.verdict !== 'violated')).toEqual([]);
  });

  it('a check to depth 0 is vacuous; to depth 2 it reaches the race situations and holds', () => {
    const d = findDesign('xen-map-for-dma')!;
    const named = checkScopeOf(d);
    const opts = { knobs: knobDefaults(d), scope: named.scope, scopeName: named.name, pickLimit: named.pickLimit, invariants: invariantsOf(d), maxStates: 100_000, reduction: 'symmetry' as const };
    expect(runCheck(d, { ...opts, depth: 0 }).verdicts.every((v) => v.verdict === 'vacuous')).toBe(true);
    const r = runCheck(d, { ...opts, depth: 2 });
    expect(r.unreached).toEqual([]);
    // Every invariant the design is meant to hold does (the level invariants it is known to break aside).
    const expected = d.expect(knobDefaults(d));
    expect(r.verdicts.filter((v) => v.verdict !== 'holds' && expected[v.invariant]?.verdict !== 'violated')).toEqual([]);
  });

  it('the CLI prints VACUOUS and exits 1 for fuzz --runs 0', async () => {
    const out: string[] = [];
    const code = await main(['fuzz', '--design', 'xen-map-for-dma', '--no-variants', '--runs', '0', '--step-timeout', '0'], (s) => void out.push(s));
    expect(code).toBe(1);
    expect(out.join('\n')).toContain('VACUOUS');
    expect(out.join('\n')).toContain('13 of 13 verdicts NOT as expected');
  });
});
