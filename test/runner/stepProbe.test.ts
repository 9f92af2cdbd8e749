import { afterEach, describe, expect, it } from 'vitest';
import { findInvariant } from '../../invariants/registry.ts';
import { readStall, stallMessage } from '../../src/cli/watchdog/stall.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { makeChecker } from '../../src/runner/checker.ts';
import { runResolved } from '../../src/runner/run.ts';
import type { StepProbe } from '../../src/runner/stepProbe.ts';
import { installStepProbe, MAX_ARGS, PHASE, PROBE, PROBE_CELLS, publishStep } from '../../src/runner/stepProbe.ts';
import { toyDesign } from '../fixtures/toyDesign.ts';

/** A probe over fresh cells, and the name table the watching side would have been sent. */
function probe(): { probe: StepProbe; names: Map<number, string> } {
  const ids = new Map<string, number>();
  const names = new Map<number, string>();
  const cells = new Int32Array(new SharedArrayBuffer(PROBE_CELLS * Int32Array.BYTES_PER_ELEMENT));
  const nameId = (n: string): number => {
    let id = ids.get(n);
    if (id === undefined) {
      id = ids.size;
      ids.set(n, id);
      names.set(id, n);
    }
    return id;
  };
  return { probe: { cells, nameId }, names };
}

afterEach(() => installStepProbe(undefined));

describe('the step probe', () => {
  it('the runner publishes every run and step to an installed probe: heartbeat, step index, op and arguments', () => {
    const { probe: p, names } = probe();
    installStepProbe(p);
    const c = makeChecker(toyDesign(), {}, DEFAULT_SCOPE, [findInvariant('quota-matches-ownership')!]);
    runResolved(c, [{ op: 'toyNoop', n: 0 }, { op: 'toyNoop', n: 3 }]);
    expect(p.cells[PROBE.run]).toBe(1);
    // One beat for the run, one per step.
    expect(p.cells[PROBE.heartbeat]).toBe(3);
    expect(p.cells[PROBE.phase]).toBe(PHASE.between);
    expect(readStall(p.cells, names)).toEqual({ phase: PHASE.between, step: 1, run: 1, action: { op: 'toyNoop', n: 3 }, elided: false });
  });

  it('reads back integers, booleans and strings; lists and arguments past the limit are elided', () => {
    const { probe: p, names } = probe();
    publishStep(p, 4, { op: 'mapGrant', dom: 2, ro: true, kind: 'ram_rw', frames: [1, 2] });
    const s = readStall(p.cells, names);
    expect(s).toEqual({ phase: PHASE.applying, step: 4, run: 0, action: { op: 'mapGrant', dom: 2, ro: true, kind: 'ram_rw' }, elided: true });
    expect(stallMessage(s, 2)).toBe('op mapGrant(dom=2, ro=true, kind="ram_rw", …) did not return within the 2 s step timeout (--step-timeout) (step 5 of run 0); the campaign was stopped');
    const many = Object.fromEntries(Array.from({ length: MAX_ARGS + 2 }, (_, i) => [`a${i}`, i]));
    const t = readStall((publishStep(p, 0, { op: 'wide', ...many }), p.cells), names);
    expect(Object.keys(t.action!)).toHaveLength(MAX_ARGS + 1);
    expect(t.elided).toBe(true);
  });
});
