/**
 * State copies share p2m and IOMMU entries (src/model/clone.ts): that is only sound while no operation
 * edits an entry in place. Hold every design to it: after each step, freeze every entry; an operation
 * that later edits one throws (ES modules are strict), which the runner reports as an error outcome.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StateInvariant } from '../../invariants/types.ts';
import { DESIGNS } from '../../src/model/designs.ts';
import { knobDefaults } from '../../src/model/core/design.ts';
import { actionsArbitrary } from '../../src/fuzz/arbitraries.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { makeChecker } from '../../src/runner/checker.ts';
import { runGenerated } from '../../src/runner/run.ts';

function deepFreeze(x: unknown): void {
  if (x === null || typeof x !== 'object' || Object.isFrozen(x)) return;
  Object.freeze(x);
  for (const v of Object.values(x)) deepFreeze(v);
}

/** A spy "invariant" that never finds anything and freezes every table entry it sees. */
const freezeEntries: StateInvariant = {
  kind: 'state',
  id: 'freeze-entries',
  title: 'freezes p2m and IOMMU entries',
  category: 'functional',
  rationale: 'test only',
  source: 'test',
  describe: () => '',
  check(d) {
    for (const dom of d.state.domains) {
      for (const e of dom.p2m) deepFreeze(e);
      for (const e of dom.iommu) deepFreeze(e);
    }
    return [];
  },
};

describe('p2m and IOMMU entries are replaced, never edited', () => {
  it.each(DESIGNS.flatMap((d) => [knobDefaults(d), ...(d.variants ?? []).map((v) => ({ ...knobDefaults(d), ...v }))].map((k) => [d.id, JSON.stringify(k), d, k] as const)))(
    '%s %s',
    (_id, _k, design, knobs) => {
      const checker = makeChecker(design, knobs, DEFAULT_SCOPE, [freezeEntries]);
      let steps = 0;
      for (const actions of fc.sample(actionsArbitrary(design.ops, DEFAULT_SCOPE), { seed: 11, numRuns: 60 })) {
        const o = runGenerated(checker, actions);
        expect(o.kind === 'error' ? `${o.message} at ${JSON.stringify(o.action)}` : 'no error').toBe('no error');
        steps += o.trace.length;
      }
      expect(steps).toBeGreaterThan(100);
    },
  );
});
