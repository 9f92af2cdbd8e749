/**
 * A corpus entry: one saved counterexample. Its explicit action list (resolved arguments and the
 * answer each step gave) is the source of truth; seed and fast-check path are hints only, because
 * generators change and seeds go stale. The entry also names the design and its digest, the knob
 * values and scope it ran with, the invariant, the verdict to expect on replay (violated at a step, or
 * holds for an entry recorded as fixed), the witnesses, and the format and tool versions.
 */
import type { Witness } from '../../invariants/types.ts';
import type { Design } from '../model/core/design.ts';
import type { Counterexample } from '../fuzz/campaign.ts';
import type { Scope } from '../model/core/scope.ts';
import type { KnobValues } from '../model/core/op.ts';
import type { Step, Violation } from '../runner/outcome.ts';
import { designDigest, fullKnobs, opRevs } from './digest.ts';
import { witnessText } from './render.ts';
import { SHADOWCHECK_VERSION } from './version.ts';

/** The corpus format this build writes and replays. Older entries are reported stale, newer ones refused. */
export const FORMAT_VERSION = 1;

/** What replay must see: the invariant violated at `step` (index in `trace`), or holding throughout. */
export type ExpectedVerdict = { verdict: 'violated'; step: number } | { verdict: 'holds' };

/** One saved counterexample. */
export interface CorpusEntry {
  format: number;
  shadowcheck: string;
  design: {
    id: string;
    digest: string;
    /** The op revisions the digest was computed over, so a stale entry can say which op changed. */
    ops: Record<string, number>;
  };
  /** Every knob of the design with the value it ran with. */
  knobs: KnobValues;
  invariant: string;
  expect: ExpectedVerdict;
  scope: Scope;
  trace: Step[];
  /** The invariant's witnesses at the violating step (empty for an entry that holds). */
  witnesses: Witness[];
  /** The witnesses in words, for a person reading the file; replay does not compare them. */
  witnessText: string[];
  /** How the trace was found. Never needed to replay it. */
  hints: { seed?: number; path?: string; originalLength?: number };
}

/** A step as an entry keeps it: action, answer, then warnings and the injected failure when there are any. */
export function savedStep(s: Step): Step {
  const out: Step = { action: s.action, result: s.result };
  if (s.warnings) out.warnings = s.warnings;
  if (s.fault) out.fault = s.fault;
  return out;
}

/** What a corpus entry is built from: the explicit trace and where (and how) it breaks. */
export interface Finding {
  trace: readonly Step[];
  step: number;
  violations: readonly Violation[];
}

/** The entry for `invariant` broken by `found` on `design` with `knobs` in `scope`; `hints` replay without being needed. */
export function violationEntry(design: Design, knobs: KnobValues, scope: Scope, invariant: string, found: Finding, hints: CorpusEntry['hints']): CorpusEntry {
  const witnesses = found.violations.filter((v) => v.invariant === invariant).flatMap((v) => v.witnesses);
  return {
    format: FORMAT_VERSION,
    shadowcheck: SHADOWCHECK_VERSION,
    design: { id: design.id, digest: designDigest(design, knobs), ops: opRevs(design) },
    knobs: fullKnobs(design, knobs),
    invariant,
    expect: { verdict: 'violated', step: found.step },
    scope: { ...scope },
    trace: found.trace.map(savedStep),
    witnesses,
    witnessText: witnesses.map((w) => witnessText(invariant, w)),
    hints,
  };
}

/** Build the entry for a shrunk violation of `invariant` found on `design` with `knobs` in `scope`. */
export function entryFromCounterexample(design: Design, knobs: KnobValues, scope: Scope, invariant: string, cx: Counterexample): CorpusEntry {
  const hints: CorpusEntry['hints'] = { seed: cx.seed, originalLength: cx.originalLength };
  if (cx.path !== undefined) hints.path = cx.path;
  return violationEntry(design, knobs, scope, invariant, cx, hints);
}
