/**
 * The campaigns `npm run mutation` runs against every mutant of the sound designs' op code (not part of
 * `npm test`: vitest.mutation.config.ts alone includes `*.mutation.ts`). A mutant is killed when one of
 * them fails: a verdict differs from the design's expectation (a sound invariant broken, or an
 * expected violation lost), the fail_nth sweep breaks a sound invariant on an error path, a perturbed
 * replay (explicit actions resolve would not produce, src/fuzz/perturb.ts) does, or an op the
 * unmutated model applies stops ever succeeding (a guard turned into a blanket refusal, which no
 * safety invariant can see). Fixed seeds and run counts, so a mutant is killed or not on every machine.
 */
import { describe, expect, it } from 'vitest';
import { DESIGNS } from '../../../src/model/designs.ts';
import { knobDefaults } from '../../../src/model/core/design.ts';
import type { KnobValues } from '../../../src/model/core/op.ts';
import { fuzzDesign } from '../../../src/fuzz/fuzzDesign.ts';
import fc from 'fast-check';
import { runFaultCampaign, soundInvariants } from '../../../src/fuzz/faultSweep.ts';
import { invariantsOf } from '../../../src/fuzz/fuzzDesign.ts';
import { perturbedProperty } from '../../../src/fuzz/perturb.ts';
import { DEFAULT_SCOPE } from '../../../src/model/core/scope.ts';
import { makeChecker } from '../../../src/runner/checker.ts';

/** Generated runs per campaign: enough for every expected violation of every design at seed 1 ... */
const RUNS = 300;
/** ... but one: the raw lookup reaches a Xen frame only once the allocator hands the ballooned frame to Xen itself. */
const RUNS_FOR: Readonly<Record<string, number>> = { 'xen-translate-gpfn': 600 };

/** Ops a knob switches off, which then refuse every call by design: the withdrawn Steal and Return request (seed 004). */
const SWITCHED_OFF: Readonly<Record<string, (knobs: KnobValues) => boolean>> = {
  steal: (k) => k.steal !== true,
  returnPages: (k) => k.steal !== true,
};

/**
 * The slice whose designs to run (`MUTATION_SLICE`, set by `npm run mutation -- <slice>`): core's
 * designs only exercise core ops, so a core run need not pay for the others. Every design when unset.
 */
const SLICE = process.env.MUTATION_SLICE;
const SLICE_OF: Readonly<Record<string, string>> = {
  'xen-translate-gpfn': 'core',
  'xen-map-for-dma': 'core',
  'rmrr-2014': 'rmrr',
  'rmrr-v2': 'rmrr',
  'xengt-shadow-translate': 'gpuShadow',
  'xengt-shadow-map': 'gpuShadow',
  'kvmgt-page-track': 'gpuShadow',
  'virtio-gpu-primitives': 'virtio',
};

/** Each design (of the slice) with its default knobs and each of its notable variants. */
const CASES = DESIGNS.filter((d) => SLICE === undefined || SLICE_OF[d.id] === SLICE).flatMap((d) =>
  [knobDefaults(d), ...(d.variants ?? [])].map((knobs) => [d.id, JSON.stringify(knobs), d, knobs] as const),
);

describe.each(CASES)('%s %s', (_id, _k, design, knobs: KnobValues) => {
  it('every verdict as the design expects', () => {
    const r = fuzzDesign(design, { seed: 1, runs: RUNS_FOR[design.id] ?? RUNS, knobs });
    expect(r.unexpected.map((v) => `${v.invariant}: ${v.verdict}`)).toEqual([]);
  });

  it('every op that is ever enabled also succeeds sometimes', () => {
    const r = fuzzDesign(design, { seed: 2, runs: RUNS, knobs, invariants: [] });
    const never = Object.entries(r.stats.ops).filter(([op, c]) => c.enabled >= 20 && c.applied === 0 && !(SWITCHED_OFF[op]?.(knobs) ?? false)).map(([op]) => op);
    expect(never).toEqual([]);
  });

  it('sound invariants hold on every error path (fail_nth)', () => {
    expect(runFaultCampaign(design, { seed: 1, runs: 20, knobs }).findings).toEqual([]);
  });

  it('sound invariants hold on perturbed explicit actions (the guards resolve never tests)', () => {
    const checker = makeChecker(design, knobs, DEFAULT_SCOPE, invariantsOf(design, soundInvariants(design, knobs)));
    expect(fc.check(perturbedProperty(checker), { seed: 1, numRuns: 150, endOnFailure: true }).failed).toBe(false);
  });
});
