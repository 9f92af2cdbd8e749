import { describe, expect, it } from 'vitest';
import { findInvariant } from '../../invariants/registry.ts';
import { minimizeTrace } from '../../src/fuzz/minimize.ts';
import type { Design, OpDef } from '../../src/api.ts';
import { buildWorld, DEFAULT_CLIENTS, defineOp, OK } from '../../src/api.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { CONTINUE, definePhasedOp, pending, schedulable, withContinuations } from '../../src/model/core/phase.ts';
import { makeChecker } from '../../src/runner/checker.ts';
import { runGenerated, runResolved } from '../../src/runner/run.ts';

/**
 * A toy phased op: three phases over dom1's tot_pages — begin takes one page too many, 'middle'
 * does nothing, 'end' gives it back. `holdLock` says whether the window holds lock 'toy'.
 */
function toyLoop(holdLock: boolean): OpDef {
  return definePhasedOp({
    name: 'toyLoop',
    actor: 'hypervisor',
    doc: 'miscounts dom1 tot_pages between its phases',
    gen: {},
    resolve: () => ({ dom: 1 }),
    enabled: () => true,
    key: ({ dom }) => `toyLoop:d${dom}`,
    begin(s, { dom }) {
      s.domains[dom].totPages += 1;
      return { pause: { next: 'middle', cursor: 0, holds: holdLock ? ['toy'] : [] } };
    },
    resume(s, { dom }, at) {
      if (at.next === 'middle') return { pause: { next: 'end', cursor: 1, saved: [7], holds: holdLock ? ['toy'] : [] } };
      s.domains[dom].totPages -= 1;
      return { done: OK };
    },
  });
}

/** An op that needs lock 'toy' and does nothing. */
const toyNeedsLock = defineOp({
  name: 'toyNeedsLock',
  actor: 'hypervisor',
  doc: 'needs lock toy',
  gen: {},
  resolve: () => ({}),
  enabled: () => true,
  locks: () => ['toy'],
  apply: () => OK,
});

function toyPhased(holdLock: boolean): Design {
  return {
    id: 'toy-phased',
    title: 'toy',
    description: 'toy phased design',
    source: 'tests',
    knobs: {},
    ops: withContinuations([toyLoop(holdLock), toyNeedsLock]),
    invariants: ['quota-matches-ownership'],
    expect: () => ({}),
    buildWorld: (scope) => buildWorld(scope, { backendKind: 'pvh', clients: [...DEFAULT_CLIENTS] }),
  };
}

const quota = findInvariant('quota-matches-ownership')!;
const cont = (phase: number, at: string) => ({ op: CONTINUE, cont: 'toyLoop:d1', phase, at });

describe('phased ops', () => {
  it('keeps a continuation in the state between phases, answers ERESTART, and removes it at the end', () => {
    const ch = makeChecker(toyPhased(false), {}, DEFAULT_SCOPE, []);
    const states: { step: number; pending: unknown[] }[] = [];
    const { outcome } = runResolved(ch, [{ op: 'toyLoop', dom: 1 }, cont(1, 'middle'), cont(2, 'end')], {
      onState: (s, step) => states.push({ step, pending: pending(s).map((c) => [c.phase, c.next, c.cursor, [...c.saved]]) }),
    });
    expect(outcome.trace.map((s) => s.result)).toEqual([{ ok: false, err: 'ERESTART' }, { ok: false, err: 'ERESTART' }, { ok: true }]);
    expect(states).toEqual([
      { step: -1, pending: [] },
      { step: 0, pending: [[1, 'middle', 0, []]] },
      { step: 1, pending: [[2, 'end', 1, [7]]] },
      { step: 2, pending: [] },
    ]);
  });

  it('refuses a second begin while the first is pending (EBUSY) and changes nothing', () => {
    const ch = makeChecker(toyPhased(false), {}, DEFAULT_SCOPE, [findInvariant('refused-op-changes-nothing')!]);
    const { outcome } = runResolved(ch, [{ op: 'toyLoop', dom: 1 }, { op: 'toyLoop', dom: 1 }]);
    expect(outcome.kind).toBe('ok');
    expect(outcome.trace[1].result).toEqual({ ok: false, err: 'EBUSY' });
  });

  it('keeps phase order: a continue naming a phase that is not next is not enabled, so dropping a middle phase drops the later ones', () => {
    const ch = makeChecker(toyPhased(false), {}, DEFAULT_SCOPE, []);
    const { outcome, problems } = runResolved(ch, [{ op: 'toyLoop', dom: 1 }, cont(2, 'end')]);
    expect(problems).toEqual([{ step: 1, reason: 'not-enabled', op: CONTINUE }]);
    expect(outcome.trace).toHaveLength(1);
    // A renamed phase is not the same phase: a trace of another design version is stale, not misread.
    expect(runResolved(ch, [{ op: 'toyLoop', dom: 1 }, cont(1, 'end')]).problems).toHaveLength(1);
  });

  it('does not schedule an action needing a lock that a pending continuation holds, and does once it is released', () => {
    const ch = makeChecker(toyPhased(true), {}, DEFAULT_SCOPE, []);
    const blocked = runResolved(ch, [{ op: 'toyLoop', dom: 1 }, { op: 'toyNeedsLock' }, cont(1, 'middle'), { op: 'toyNeedsLock' }, cont(2, 'end'), { op: 'toyNeedsLock' }]);
    expect(blocked.problems.map((p) => p.step)).toEqual([1, 3]);
    expect(blocked.outcome.trace.map((s) => s.action.op)).toEqual(['toyLoop', CONTINUE, CONTINUE, 'toyNeedsLock']);
    // The continuation's own phases are not blocked by what it holds.
    const lockFree = makeChecker(toyPhased(false), {}, DEFAULT_SCOPE, []);
    expect(runResolved(lockFree, [{ op: 'toyLoop', dom: 1 }, { op: 'toyNeedsLock' }]).problems).toEqual([]);
    // The generated path skips it the same way, leaving no trace of it.
    const gen = runGenerated(ch, [{ op: 'toyLoop', raw: {} }, { op: 'toyNeedsLock', raw: {} }, { op: CONTINUE, raw: { which: 0 } }]);
    expect(gen.trace.map((s) => s.action.op)).toEqual(['toyLoop', CONTINUE]);
  });

  it('schedulable is true for any op when nothing is pending', () => {
    const ch = makeChecker(toyPhased(true), {}, DEFAULT_SCOPE, []);
    expect(schedulable(ch.world, toyNeedsLock, {})).toBe(true);
  });

  it('a violation inside the window is found, and the minimiser keeps the begin and drops the rest', () => {
    const ch = makeChecker(toyPhased(false), {}, DEFAULT_SCOPE, [quota]);
    const { outcome } = runResolved(ch, [{ op: 'toyNeedsLock' }, { op: 'toyLoop', dom: 1 }, cont(1, 'middle')]);
    expect(outcome.kind).toBe('violation');
    const m = minimizeTrace(ch, outcome, 'quota-matches-ownership');
    expect(m.trace.map((s) => s.action)).toEqual([{ op: 'toyLoop', dom: 1 }]);
  });

  it('withContinuations adds continue only to a list with a phased op', () => {
    expect(withContinuations([toyNeedsLock]).map((o) => o.name)).toEqual(['toyNeedsLock']);
    expect(withContinuations([toyLoop(false), toyNeedsLock]).map((o) => o.name)).toEqual(['toyLoop', 'toyNeedsLock', CONTINUE]);
  });
});
