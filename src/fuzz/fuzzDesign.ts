/**
 * The one-call campaign a user's own test suite wants: fuzz a design against the invariants it names,
 * with its default knobs, in the default scope, from a fixed seed and run count — and compare each
 * verdict with what the design expects. `runCampaign` stays the full-control form; this fills in what
 * every caller outside the harness would otherwise spell out the same way.
 */
import { INVARIANTS } from '../../invariants/registry.ts';
import type { Invariant } from '../../invariants/types.ts';
import type { Design } from '../model/core/design.ts';
import { expectationFor, knobDefaults } from '../model/core/design.ts';
import type { KnobValues } from '../model/core/op.ts';
import type { Scope } from '../model/core/scope.ts';
import { DEFAULT_SCOPE } from '../model/core/scope.ts';
import type { CampaignResult, InvariantVerdict } from './campaign.ts';
import { runCampaign } from './campaign.ts';

/** Options of `fuzzDesign`; every field has a default. */
export interface FuzzDesignOptions {
  /** fast-check seed (default 1): same seed, same verdicts and traces. */
  seed?: number;
  /** Generated action sequences (default 200). */
  runs?: number;
  /** Knob values over the design's defaults. */
  knobs?: KnobValues;
  /** Scope fields over `DEFAULT_SCOPE`. */
  scope?: Partial<Scope>;
  /** Invariant ids to check (default: every invariant the design names). */
  invariants?: readonly string[];
}

/** A campaign result with each verdict set beside the design's expectation. */
export interface FuzzDesignResult extends CampaignResult {
  /** Verdicts that differ from what the design expects (a new violation, or a lost expected one). */
  unexpected: InvariantVerdict[];
}

/** The registry's invariants a design names (or the given ids), in report order; unknown ids are left out. */
export function invariantsOf(design: Design, ids: readonly string[] = design.invariants): Invariant[] {
  return INVARIANTS.filter((inv) => ids.includes(inv.id));
}

/** Fuzz `design` with a fixed seed and run count; deterministic, so fit for a test. */
export function fuzzDesign(design: Design, opts: FuzzDesignOptions = {}): FuzzDesignResult {
  const knobs = { ...knobDefaults(design), ...opts.knobs };
  const result = runCampaign(design, {
    seed: opts.seed ?? 1,
    budget: { runs: opts.runs ?? 200 },
    scope: { ...DEFAULT_SCOPE, ...opts.scope },
    knobs,
    invariants: invariantsOf(design, opts.invariants),
  });
  // An error is never expected: it is a bug in the model or in the design's own ops.
  const unexpected = result.verdicts.filter((v) => v.verdict !== expectationFor(design, knobs, v.invariant).verdict);
  return { ...result, unexpected };
}
