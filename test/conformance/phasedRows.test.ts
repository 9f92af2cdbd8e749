/**
 * Conformance rows of the preemptible handlers (issue 11 item 3): docs/conformance.md MEM-13 and
 * DOM-08, against xen/common/memory.c decrease_reservation and xen/common/domain.c domain_kill.
 */
import { describe, expect, it } from 'vitest';
import { knobDefaults } from '../../src/model/core/design.ts';
import { xenPreemptible } from '../../src/model/core/designs/xenPreemptible.ts';
import type { Action } from '../../src/model/core/op.ts';
import { RELINQUISH_EXTENT } from '../../src/model/core/ops/phasedDomains.ts';
import { CONTINUE, pending } from '../../src/model/core/phase.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import type { State } from '../../src/model/core/state.ts';
import { makeChecker } from '../../src/runner/checker.ts';
import { runResolved } from '../../src/runner/run.ts';

/** Run `actions` on xen-preemptible's world, keeping each state after a step. */
function run(actions: Action[]) {
  const states: State[] = [];
  const ch = makeChecker(xenPreemptible, knobDefaults(xenPreemptible), DEFAULT_SCOPE, []);
  const { outcome, problems } = runResolved(ch, actions, { onState: (s) => states.push(structuredClone(s)) });
  expect(problems).toEqual([]);
  return { results: outcome.trace.map((s) => s.result), states: states.slice(1), world: states[0] };
}

const cont = (key: string, phase: number, at: string): Action => ({ op: CONTINUE, cont: key, phase, at });

describe('preemptible memory ops and domain destruction', () => {
  it('[MEM-13] decrease_reservation over a list of extents is preempted between extents and resumes at nr_done, answering the count done', () => {
    const key = 'decreaseReservationRange:d1';
    const r = run([{ op: 'decreaseReservationRange', dom: 1, gfns: [0, 1, 2] }, cont(key, 1, 'extent'), cont(key, 2, 'extent')]);
    expect(r.results).toEqual([{ ok: false, err: 'ERESTART' }, { ok: false, err: 'ERESTART' }, { ok: true, value: 3 }]);
    // One extent per phase, in order; the continuation carries nr_done as its cursor.
    expect(r.states.map((s) => [0, 1, 2].map((g) => s.domains[1].p2m[g] === null))).toEqual([
      [true, false, false],
      [true, true, false],
      [true, true, true],
    ]);
    expect(r.states.map((s) => pending(s).map((c) => c.cursor))).toEqual([[1], [2], []]);
  });

  it('[MEM-13] an extent that fails ends the call with the count done so far; a failing first extent is the error and changes nothing', () => {
    const key = 'decreaseReservationRange:d1';
    // gfn 9 has nothing behind it: the second extent fails, and the call answers 1 (nr_done).
    const r = run([{ op: 'decreaseReservationRange', dom: 1, gfns: [0, 9, 2] }, cont(key, 1, 'extent')]);
    expect(r.results).toEqual([{ ok: false, err: 'ERESTART' }, { ok: true, value: 1 }]);
    expect(r.states[1].domains[1].p2m[2]).not.toBeNull();
    const first = run([{ op: 'decreaseReservationRange', dom: 1, gfns: [9, 0] }]);
    expect(first.results).toEqual([{ ok: false, err: 'ENOENT' }]);
    expect(first.states[0]).toEqual({ ...first.world, clock: 1 });
  });

  it('[DOM-08] destroydomain relinquishes a few entries per phase, answers -ERESTART, and the continuation finishes the teardown', () => {
    const key = 'destroyDomain:d3';
    const r = run([{ op: 'destroyDomain', dom: 3 }, cont(key, 1, 'relinquish p2m'), cont(key, 2, 'relinquish p2m')]);
    expect(r.results).toEqual([{ ok: false, err: 'ERESTART' }, { ok: false, err: 'ERESTART' }, { ok: true }]);
    // DOMDYING_dying before anything is relinquished; dead once its last page is gone.
    expect(r.states.map((s) => s.domains[3].state)).toEqual(['dying', 'dying', 'dead']);
    const held = r.states.map((s) => s.domains[3].p2m.filter((e) => e !== null).length);
    expect(held).toEqual([4, 4 - RELINQUISH_EXTENT, 0]);
    expect(pending(r.states[2])).toEqual([]);
  });
});
