/**
 * Corpus entries built by hand for the trace and CLI tests: Tim Deegan's race on the 2014 lookup
 * (look up, balloon out, reallocate), run through the real runner so the entry is exactly what
 * `fuzz --save` would write for that trace — without running a campaign.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findInvariant } from '../../invariants/registry.ts';
import { knobDefaults } from '../../src/model/core/design.ts';
import type { Design } from '../../src/model/core/design.ts';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import type { Counterexample } from '../../src/fuzz/campaign.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import type { Action, KnobValues } from '../../src/model/core/op.ts';
import { makeChecker } from '../../src/runner/checker.ts';
import { runResolved } from '../../src/runner/run.ts';
import type { CorpusEntry } from '../../src/trace/corpusEntry.ts';
import { entryFromCounterexample } from '../../src/trace/corpusEntry.ts';

/** The seed's race on xen-translate-gpfn: violates no-stale-reference at step 3 (index 2). */
export const RACE: Action[] = [
  { op: 'shadowSet', client: 1, slot: 0, gfn: 0 },
  { op: 'decreaseReservation', dom: 1, gfn: 0 },
  { op: 'populatePhysmap', dom: 0, gfn: 4, mfn: 6 },
];

/** The entry `fuzz --save` would write for `actions` on `design`, checking `invariant`. */
export function entryFor(design: Design, invariant: string, actions: readonly Action[], knobs: KnobValues = knobDefaults(design)): CorpusEntry {
  const inv = findInvariant(invariant);
  if (inv === undefined) throw new Error(`no invariant ${invariant}`);
  const { outcome } = runResolved(makeChecker(design, knobs, DEFAULT_SCOPE, [inv]), actions);
  if (outcome.kind !== 'violation') throw new Error(`the fixture trace does not violate ${invariant}`);
  const cx: Counterexample = { kind: 'violation', trace: outcome.trace, step: outcome.step, violations: outcome.violations, seed: 7, originalLength: 9 };
  return entryFromCounterexample(design, knobs, DEFAULT_SCOPE, invariant, cx);
}

/** The race as a corpus entry for xen-translate-gpfn · no-stale-reference. */
export function raceEntry(): CorpusEntry {
  return entryFor(xenTranslateGpfn, 'no-stale-reference', RACE);
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'shadowcheck-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * The committed corpus entry of a design's invariant at its defaults or at one setting
 * (`corpus/<design>/<invariant>[.<settings>]-<digest>.json`).
 * Looked up rather than named: the digest in the file name changes whenever the design gains a knob.
 */
export function defaultsEntry(design: string, invariant: string, settings?: string): string {
  const name = settings === undefined ? invariant : `${invariant}.${settings}`;
  const re = new RegExp(`^${name.replace(/[.]/g, '\\.')}-[0-9a-f]{8}\\.json$`);
  const found = readdirSync(`corpus/${design}`).filter((f) => re.test(f));
  if (found.length !== 1) throw new Error(`corpus/${design}: ${found.length} entries for ${name}`);
  return `corpus/${design}/${found[0]}`;
}
