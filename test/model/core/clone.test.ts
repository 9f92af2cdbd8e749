import { describe, expect, it } from 'vitest';
import { INVARIANTS } from '../../../invariants/registry.ts';
import { DESIGNS } from '../../../src/model/designs.ts';
import { knobDefaults } from '../../../src/model/core/design.ts';
import { actionsArbitrary } from '../../../src/fuzz/arbitraries.ts';
import { clonePlain, cloneState } from '../../../src/model/core/clone.ts';
import { DEFAULT_SCOPE } from '../../../src/model/core/scope.ts';
import type { State } from '../../../src/model/core/state.ts';
import { makeChecker } from '../../../src/runner/checker.ts';
import { runGenerated } from '../../../src/runner/run.ts';
import fc from 'fast-check';

/** p2m and IOMMU entries: values copies share (entriesImmutable.test.ts checks nobody edits one). */
function sharedEntries(s: State): Set<unknown> {
  return new Set(s.domains.flatMap((d) => [...d.p2m, ...d.iommu]).filter((e) => e !== null));
}

/** Every non-frozen object reachable from `x`, but for `values`, to check a copy shares none of them. */
function mutableObjects(x: unknown, values: Set<unknown>, out = new Set<object>()): Set<object> {
  if (x === null || typeof x !== 'object' || Object.isFrozen(x) || values.has(x) || out.has(x)) return out;
  out.add(x);
  for (const v of Object.values(x)) mutableObjects(v, values, out);
  return out;
}

/** States each design reaches: its world, then the state after every step of a few generated runs. */
function statesOf(design: (typeof DESIGNS)[number]): State[] {
  const states: State[] = [];
  const spy = { kind: 'state' as const, id: 'spy', title: '', category: 'functional' as const, rationale: '', source: '', describe: () => '',
    // The spy sees the live state, which later steps mutate: keep copies made by the generic walk.
    check: (d: { state: State }) => (states.push(clonePlain(d.state)), []) };
  const checker = makeChecker(design, knobDefaults(design), DEFAULT_SCOPE, [spy]);
  for (const actions of fc.sample(actionsArbitrary(design.ops, DEFAULT_SCOPE), { seed: 3, numRuns: 8 })) {
    runGenerated(checker, actions);
  }
  return states.concat([checker.world]);
}

describe('cloneState', () => {
  it.each(DESIGNS.map((d) => [d.id, d] as const))('%s: copies are equal and share nothing mutable but table entries', (_id, design) => {
    expect(INVARIANTS.length).toBeGreaterThan(0);
    for (const s of statesOf(design)) {
      const copy = cloneState(s);
      expect(copy).toEqual(s);
      const values = sharedEntries(s);
      const mine = mutableObjects(s, values);
      for (const o of mutableObjects(copy, values)) expect(mine.has(o)).toBe(false);
    }
  });
});
