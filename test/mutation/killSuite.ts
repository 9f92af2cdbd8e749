/**
 * The kill suite of `npm run mutation` (stryker.config.mjs, vitest.mutation.config.ts): what must notice
 * when a sound design's op code is wrong. For one slice it registers, per design of the slice and per
 * knob setting (the defaults and each notable variant), small fixed-seed campaigns:
 *
 * 1. every invariant the design is expected to hold under those knobs is never violated (and no harness
 *    error) — the mutant made the model unsafe, or made a sound design break its own books;
 * 2. every op the unmutated model applies in a campaign is still applied at least once in the same
 *    campaign under the mutant (the suite switches the mutant off to learn the first) — a guard
 *    turned into a blanket refusal is invisible to safety invariants;
 * 3. the fail_nth sweep (docs/faults.md): invariants hold on every error path and a failed point is
 *    answered with its errno — the rollback of a half-done hypercall;
 * 4. perturbed replay (src/fuzz/perturb.ts): explicit actions with edited arguments, which `resolve`
 *    would never produce, must be refused or stay safe — the argument checks of `apply`.
 *
 * Run counts are small so one mutant costs a second or two (Stryker runs only the tests that execute
 * the mutated line, and stops at the first failure); fixed seeds, so a mutant is killed or not on
 * every machine. Verdicts `vacuous` are not failures here: a tiny campaign need not reach every
 * declared situation, and the kill is for unsafety, not for a smaller sample.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runFaultCampaign, soundInvariants } from '../../src/fuzz/faultSweep.ts';
import { fuzzDesign, invariantsOf } from '../../src/fuzz/fuzzDesign.ts';
import { perturbedProperty } from '../../src/fuzz/perturb.ts';
import type { Design } from '../../src/model/core/design.ts';
import { knobDefaults } from '../../src/model/core/design.ts';
import type { KnobValues } from '../../src/model/core/op.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { DESIGNS } from '../../src/model/designs.ts';
import { makeChecker } from '../../src/runner/checker.ts';

/** The slices whose op code `npm run mutation` mutates. */
export type MutationSlice = 'core' | 'rmrr' | 'gpuShadow' | 'virtio' | 'ioasid';

/** Which slice's op code each built-in design exercises first (test/mutation/slices.test.ts checks every design is here). */
export const DESIGN_SLICE: Readonly<Record<string, MutationSlice>> = {
  'xen-translate-gpfn': 'core',
  'xen-map-for-dma': 'core',
  'xengt-privsep': 'core',
  'xengt-grant': 'core',
  'xen-grant-backend': 'core',
  'xen-preemptible': 'core',
  'rmrr-2014': 'rmrr',
  'rmrr-v2': 'rmrr',
  'xengt-shadow-translate': 'gpuShadow',
  'xengt-shadow-map': 'gpuShadow',
  'kvmgt-page-track': 'gpuShadow',
  'kvmgt-track-race': 'gpuShadow',
  'virtio-gpu-primitives': 'virtio',
  'vfio-type1-container': 'ioasid',
  'ioasid-fd': 'ioasid',
};

/** Generated runs of the safety campaigns (1, 2) and of perturbed replay (4). */
export const KILL_RUNS = 60;
/** Generated traces of the fail_nth sweep (3): each is replayed once per fallible point it reaches. */
export const KILL_FAULT_RUNS = 12;

/** The designs of a slice. */
export function designsOf(slice: MutationSlice): Design[] {
  return DESIGNS.filter((d) => DESIGN_SLICE[d.id] === slice);
}

/** A design's knob settings the suite runs: its defaults, then each notable variant over them. */
export function knobSettings(design: Design): KnobValues[] {
  const base = knobDefaults(design);
  return [base, ...(design.variants ?? []).map((v) => ({ ...base, ...v }))];
}

/** The sound invariants' verdicts that are failures (violated, or a harness error), as `id: verdict` lines. */
export function soundFailures(design: Design, knobs: KnobValues, seed: number, runs: number): string[] {
  const r = fuzzDesign(design, { seed, runs, knobs, invariants: soundInvariants(design, knobs) });
  return r.verdicts.filter((v) => v.verdict === 'violated' || v.verdict === 'error').map((v) => `${v.invariant}: ${v.verdict}`);
}

/** The ops that succeed at least once in a campaign without invariants (seed, runs): what the design can do. */
export function liveOps(design: Design, knobs: KnobValues, seed: number, runs: number): string[] {
  const r = fuzzDesign(design, { seed, runs, knobs, invariants: [] });
  return Object.entries(r.stats.ops).filter(([, c]) => c.applied > 0).map(([op]) => op).sort();
}

/**
 * Run `f` on the model without the active mutant (Stryker's instrumented code switches mutants on
 * `globalThis.__stryker__.activeMutant` at run time); outside a mutation run there is none to switch off.
 */
export function withoutMutant<T>(f: () => T): T {
  const ns = (globalThis as { __stryker__?: { activeMutant?: unknown } }).__stryker__;
  if (ns?.activeMutant === undefined) return f();
  const active = ns.activeMutant;
  ns.activeMutant = undefined;
  try {
    return f();
  } finally {
    ns.activeMutant = active;
  }
}

/** Ops the unmutated model applies in the campaign that the mutated one never applies (a guard made a blanket refusal). */
export function lostOps(design: Design, knobs: KnobValues, seed: number, runs: number): string[] {
  const original = withoutMutant(() => liveOps(design, knobs, seed, runs));
  const mutated = new Set(liveOps(design, knobs, seed, runs));
  return original.filter((op) => !mutated.has(op));
}

/** Register the kill suite of one slice. */
export function killSuite(slice: MutationSlice): void {
  const cases = designsOf(slice).flatMap((d) => knobSettings(d).map((knobs, i) => [d.id, i === 0 ? 'defaults' : JSON.stringify(d.variants?.[i - 1]), d, knobs] as const));
  describe.each(cases)('%s %s', (_id, _label, design, knobs) => {
    it('every op the original model applies still succeeds sometimes', () => {
      expect(lostOps(design, knobs, 2, KILL_RUNS)).toEqual([]);
    });
    it('sound invariants hold', () => {
      expect(soundFailures(design, knobs, 1, KILL_RUNS)).toEqual([]);
    });
    it('perturbed explicit actions are refused or stay safe', () => {
      const checker = makeChecker(design, knobs, DEFAULT_SCOPE, invariantsOf(design, soundInvariants(design, knobs)));
      expect(fc.check(perturbedProperty(checker), { seed: 1, numRuns: KILL_RUNS, endOnFailure: true }).failed).toBe(false);
    });
    it('sound invariants hold on every error path (fail_nth)', () => {
      expect(runFaultCampaign(design, { seed: 1, runs: KILL_FAULT_RUNS, knobs }).findings.map((f) => f.invariant ?? f.message)).toEqual([]);
    });
  });
}
