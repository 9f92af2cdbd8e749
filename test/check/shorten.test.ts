/**
 * The BFS-backed shortening pass: it replaces a 1-minimal but longer counterexample with a shortest
 * one (replayable, same invariant), says when the trace it got is already shortest, and does not
 * attempt a search it cannot afford.
 */
import { describe, expect, it } from 'vitest';
import { findInvariant } from '../../invariants/registry.ts';
import { knobDefaults } from '../../src/model/core/design.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { findDesign } from '../../src/model/designs.ts';
import type { Counterexample } from '../../src/fuzz/campaign.ts';
import { runCampaign } from '../../src/fuzz/campaign.ts';
import { shortenByBfs } from '../../src/check/shorten.ts';
import { checkScopeOf } from '../../src/check/scopes.ts';
import { makeChecker } from '../../src/runner/checker.ts';
import { runResolved } from '../../src/runner/run.ts';

const translate = findDesign('xen-translate-gpfn')!;
const stale = findInvariant('no-stale-reference')!;
const scope = checkScopeOf(translate).scope;
const knobs = knobDefaults(translate);

function fuzzed(seed: number, runs: number, s = scope): Counterexample {
  const r = runCampaign(translate, { seed, budget: { runs }, scope: s, knobs, invariants: [stale] });
  return r.verdicts[0].counterexample!;
}

describe('shortenByBfs', () => {
  it("the seed-1 race (3 actions since set_target became set-once) comes back proven shortest and replays", () => {
    const cx = fuzzed(1, 2000);
    expect(cx.trace).toHaveLength(3);
    const counterexample = cx;
    expect(counterexample.trace).toHaveLength(3);
    expect(counterexample.violations[0].invariant).toBe('no-stale-reference');
    const replay = runResolved(makeChecker(translate, knobs, scope, [stale]), counterexample.trace.map((s) => s.action));
    expect(replay.problems).toEqual([]);
    expect(replay.outcome.kind === 'violation' && replay.outcome.step).toBe(2);
    // A shortest trace comes back as it was, proven shortest.
    const again = shortenByBfs(translate, knobs, scope, stale, counterexample);
    expect(again.outcome).toEqual({ kind: 'shortest', length: 3 });
    expect(again.counterexample).toBe(counterexample);
  });

  it('skips a search it cannot afford: the default scope has ~1,000 actions at the world', () => {
    const cx = fuzzed(1, 200, DEFAULT_SCOPE);
    expect(cx.trace.length).toBeGreaterThanOrEqual(3);
    const r = shortenByBfs(translate, knobs, DEFAULT_SCOPE, stale, cx);
    expect(r.outcome.kind).toBe('skipped');
    expect(r.counterexample).toBe(cx);
  });
});
