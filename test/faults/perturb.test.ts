import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DESIGNS } from '../../src/model/designs.ts';
import { xenMapForDma } from '../../src/model/core/designs/xenMapForDma.ts';
import type { Design } from '../../src/model/core/design.ts';
import { knobDefaults } from '../../src/model/core/design.ts';
import type { ArgRecord, OpDef } from '../../src/model/core/op.ts';
import { mapGrant } from '../../src/model/core/ops/grants.ts';
import { actionsArbitrary } from '../../src/fuzz/arbitraries.ts';
import { runGenerated } from '../../src/runner/run.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { makeChecker } from '../../src/runner/checker.ts';
import { invariantsOf } from '../../src/fuzz/fuzzDesign.ts';
import { soundInvariants } from '../../src/fuzz/faultSweep.ts';
import { perturb, perturbedProperty } from '../../src/fuzz/perturb.ts';

function checkerFor(design: Design) {
  const knobs = knobDefaults(design);
  return makeChecker(design, knobs, DEFAULT_SCOPE, invariantsOf(design, soundInvariants(design, knobs)));
}

describe('perturbed replay: apply validates what resolve never offers', () => {
  it.each(DESIGNS.map((d) => [d.id, d] as const))('%s: sound invariants hold on perturbed explicit actions', (_id, design) => {
    expect(fc.check(perturbedProperty(checkerFor(design)), { seed: 1, numRuns: 60 }).failed).toBe(false);
  });

  it('catches an op that trusts resolve: mapGrant without its grantee check lets any domain map the grant', () => {
    // resolve always names the grant's own grantee, so the generator alone never tries another.
    const sound: OpDef = mapGrant;
    const trusting: OpDef = {
      ...sound,
      apply(state, args: ArgRecord, ctx) {
        const grants = state.domains[args.granter as number]?.grants;
        const g = grants?.[args.ref as number];
        if (grants === undefined || g === null || g === undefined) return sound.apply(state, args, ctx);
        // The missing guard: the entry is shown to apply as if granted to the caller, then put back.
        grants[args.ref as number] = { ...g, grantee: args.grantee as number };
        const r = sound.apply(state, args, ctx);
        grants[args.ref as number] = { ...grants[args.ref as number]!, grantee: g.grantee };
        return r;
      },
    };
    const design: Design = { ...xenMapForDma, id: 'trusting-map-grant', ops: xenMapForDma.ops.map((op) => (op.name === 'mapGrant' ? trusting : op)) };
    const plain = fc.check(fc.property(actionsArbitrary(design.ops, DEFAULT_SCOPE), (raw) => runGenerated(checkerFor(design), raw).kind === 'ok'), { seed: 1, numRuns: 300 });
    expect(plain.failed).toBe(false);
    expect(fc.check(perturbedProperty(checkerFor(design)), { seed: 1, numRuns: 1000, endOnFailure: true }).failed).toBe(true);
  });

  it('perturb edits only numbers and booleans, and copies the actions', () => {
    const actions = [{ op: 'mapGrant', grantee: 2, granter: 3, ref: 0, readonly: false, hostGfn: 4, deviceBfn: -1 }];
    const out = perturb(actions, [{ action: 0, arg: 3, kind: 'delta', value: 5 }, { action: 7, arg: 0, kind: 'set', value: 1 }]);
    expect(out).toEqual([{ op: 'mapGrant', grantee: 1, granter: 3, ref: 0, readonly: true, hostGfn: 4, deviceBfn: -1 }]);
    expect(actions[0].readonly).toBe(false);
  });
});
