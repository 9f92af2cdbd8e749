/**
 * A fault-injection finding as a corpus entry: the same format as fuzz's, its steps naming the failed
 * fallible points (`fault`), so `replay` re-injects exactly those failures without the sweep or seed.
 */
import type { Design } from '../model/core/design.ts';
import type { KnobValues } from '../model/core/op.ts';
import type { Scope } from '../model/core/scope.ts';
import type { FaultFinding } from '../fuzz/faultSweep.ts';
import type { CorpusEntry } from './corpusEntry.ts';
import { FORMAT_VERSION, savedStep } from './corpusEntry.ts';
import { designDigest, fullKnobs, opRevs } from './digest.ts';
import { witnessText } from './render.ts';
import { SHADOWCHECK_VERSION } from './version.ts';

/** The entry for a finding's invariant (a harness error has none, and makes no entry). */
export function entryFromFaultFinding(design: Design, knobs: KnobValues, scope: Scope, seed: number, f: FaultFinding): CorpusEntry | undefined {
  const invariant = f.invariant;
  if (invariant === undefined) return undefined;
  const witnesses = f.violations.filter((v) => v.invariant === invariant).flatMap((v) => v.witnesses);
  return {
    format: FORMAT_VERSION,
    shadowcheck: SHADOWCHECK_VERSION,
    design: { id: design.id, digest: designDigest(design, knobs), ops: opRevs(design) },
    knobs: fullKnobs(design, knobs),
    invariant,
    expect: { verdict: 'violated', step: f.step },
    scope: { ...scope },
    trace: f.trace.map(savedStep),
    witnesses,
    witnessText: witnesses.map((w) => witnessText(invariant, w)),
    hints: { seed },
  };
}
