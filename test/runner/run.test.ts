import { describe, expect, it } from 'vitest';
import { findInvariant } from '../../invariants/registry.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { makeChecker } from '../../src/runner/checker.ts';
import { runGenerated, runResolved } from '../../src/runner/run.ts';
import { emptyStats } from '../../src/runner/stats.ts';
import { toyBoom, toyDesign, toyLeak, toyNoop } from '../fixtures/toyDesign.ts';

const quota = findInvariant('quota-matches-ownership')!;

describe('runResolved', () => {
  it('applies explicit actions and records results', () => {
    const c = makeChecker(toyDesign(), {}, DEFAULT_SCOPE, [quota]);
    const { outcome, problems } = runResolved(c, [{ op: 'toyNoop', n: 0 }, { op: 'toyNoop', n: 3 }]);
    expect(problems).toEqual([]);
    expect(outcome).toEqual({
      kind: 'ok',
      trace: [
        { action: { op: 'toyNoop', n: 0 }, result: { ok: true } },
        { action: { op: 'toyNoop', n: 3 }, result: { ok: false, err: 'EINVAL' } },
      ],
    });
  });

  it('stops at the first violating step and names the invariant with its witness', () => {
    const c = makeChecker(toyDesign(), {}, DEFAULT_SCOPE, [quota]);
    const { outcome } = runResolved(c, [{ op: 'toyNoop', n: 0 }, { op: 'toyLeak', n: 2 }, { op: 'toyNoop', n: 0 }]);
    expect(outcome.kind).toBe('violation');
    if (outcome.kind !== 'violation') return;
    expect(outcome.step).toBe(1);
    expect(outcome.trace).toHaveLength(2);
    expect(outcome.violations).toEqual([
      { invariant: 'quota-matches-ownership', witnesses: [{ reason: 'tot-pages-mismatch', dom: 1, expected: 4, actual: 5 }] },
    ]);
  });

  it('reports an exception inside the model as an error outcome, not a violation', () => {
    const c = makeChecker(toyDesign([toyNoop, toyBoom]), {}, DEFAULT_SCOPE, [quota]);
    const { outcome } = runResolved(c, [{ op: 'toyNoop', n: 0 }, { op: 'toyBoom', n: 3 }]);
    expect(outcome).toMatchObject({ kind: 'error', step: 1, message: 'toy model bug', action: { op: 'toyBoom', n: 3 } });
    expect(outcome.trace).toHaveLength(1);
  });

  it('skips actions naming unknown ops and reports them as replay problems', () => {
    const c = makeChecker(toyDesign(), {}, DEFAULT_SCOPE, [quota]);
    const { outcome, problems } = runResolved(c, [{ op: 'noSuchOp' }, { op: 'toyNoop', n: 1 }]);
    expect(problems).toEqual([{ step: 0, reason: 'unknown-op', op: 'noSuchOp' }]);
    expect(outcome.trace).toHaveLength(1);
  });

  it('never mutates the prepared world: every run starts from the same state', () => {
    const c = makeChecker(toyDesign(), {}, DEFAULT_SCOPE, [quota]);
    const before = JSON.stringify(c.world);
    runResolved(c, [{ op: 'toyLeak', n: 2 }]);
    expect(JSON.stringify(c.world)).toBe(before);
  });
});

describe('runGenerated', () => {
  it('counts generated, enabled, applied and refused per op', () => {
    const c = makeChecker(toyDesign(), {}, DEFAULT_SCOPE, [quota]);
    const stats = emptyStats();
    runGenerated(c, [{ op: 'toyNoop', raw: { n: 3 } }, { op: 'toyNoop', raw: { n: 1 } }], { stats });
    expect(stats.ops.toyNoop).toEqual({ generated: 2, enabled: 2, applied: 1, refused: 1 });
    expect(stats.steps).toBe(2);
  });

  it('records the resolved arguments, so traces replay without the generator', () => {
    const c = makeChecker(toyDesign([toyLeak]), {}, DEFAULT_SCOPE, [quota]);
    const o = runGenerated(c, [{ op: 'toyLeak', raw: { n: 2 } }]);
    expect(o.trace[0].action).toEqual({ op: 'toyLeak', n: 2 });
    expect(runResolved(c, o.trace.map((s) => s.action)).outcome).toEqual(o);
  });
});
