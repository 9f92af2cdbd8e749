/**
 * A fault-injection finding as a corpus entry: the same format as fuzz's, its steps naming the failed
 * fallible points (`fault`), so `replay` re-injects exactly those failures without the sweep or seed.
 */
import type { Design } from '../model/core/design.ts';
import type { KnobValues } from '../model/core/op.ts';
import type { Scope } from '../model/core/scope.ts';
import type { FaultFinding } from '../fuzz/faultSweep.ts';
import type { CorpusEntry } from './corpusEntry.ts';
import { violationEntry } from './corpusEntry.ts';

/** The entry for a finding's invariant (a harness error has none, and makes no entry). */
export function entryFromFaultFinding(design: Design, knobs: KnobValues, scope: Scope, seed: number, f: FaultFinding): CorpusEntry | undefined {
  const invariant = f.invariant;
  if (invariant === undefined) return undefined;
  return violationEntry(design, knobs, scope, invariant, f, { seed });
}
