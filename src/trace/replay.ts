/**
 * Replaying a corpus entry: re-execute its explicit action list on its design and check the recorded
 * verdict still comes out — a violation of the same invariant at the same step, or no violation for
 * an entry recorded as fixed. Each entry ends in one of four states, with the reason in words:
 *  - reproduced;
 *  - no longer reproduces (the model or design changed what happens);
 *  - stale (the design changed digest, an action no longer applies, or the file's format is older);
 *  - bad input (the file names a design, invariant, op or knob value that does not exist).
 */
import { findInvariant as registryInvariant } from '../../invariants/registry.ts';
import type { Invariant } from '../../invariants/types.ts';
import { findDesign as registryDesign } from '../model/designs.ts';
import type { Design } from '../model/core/design.ts';
import { DEFAULT_SCOPE } from '../model/core/scope.ts';
import type { Scope } from '../model/core/scope.ts';
import { cloneState } from '../model/core/clone.ts';
import { firstDifference } from '../model/core/equal.ts';
import type { State } from '../model/core/state.ts';
import type { KnobValues } from '../model/core/op.ts';
import { makeChecker } from '../runner/checker.ts';
import type { Outcome } from '../runner/outcome.ts';
import { hasFaults, recordedFaults } from '../runner/faultInjection.ts';
import { runResolved } from '../runner/run.ts';
import type { ReplayProblem, RunOptions } from '../runner/run.ts';
import { canonicalJson } from './canonical.ts';
import type { CorpusEntry } from './corpusEntry.ts';
import { loadEntryFile } from './corpusLoad.ts';
import { designDigest, digestChanges, fullKnobs } from './digest.ts';
import { encodeItf } from './itfValue.ts';
import { encodeStates } from './itf.ts';
import { resultText } from './render.ts';
import type { MissingArgument } from './argGuard.ts';
import { guardArguments, missingArgumentWords } from './argGuard.ts';

/** How a replay ended. */
export type ReplayStatus = 'reproduced' | 'no-longer-reproduces' | 'stale' | 'bad-input';

/** The replay of one entry. */
export interface ReplayResult {
  file?: string;
  status: ReplayStatus;
  /** One line: why this status. */
  reason: string;
  /** Further observations (answers or witnesses that changed while the verdict held). */
  notes: string[];
  entry?: CorpusEntry;
  design?: Design;
  /** The knob values replayed with (every knob of the design). */
  knobs?: KnobValues;
  outcome?: Outcome;
  /** Whether the outcome's trace lines up step for step with the recorded one (no skipped action). */
  aligned?: boolean;
}

/** Where replay looks designs and invariants up; tests substitute a deliberately broken design. */
export interface ReplayOptions {
  findDesign?: (id: string) => Design | undefined;
  findInvariant?: (id: string) => Invariant | undefined;
  /** Sees every state the replay passes through (-1: initial), for ITF export and `explain`. */
  onState?: (state: State, step: number) => void;
}

/** 1-based step words: "step 3", or "the initial state" for -1. */
export function stepWords(index: number): string {
  return index < 0 ? 'the initial state' : `step ${index + 1}`;
}

/** The scope an entry ran in: its recorded sizes, with any field a newer model added at its default. */
export function entryScope(entry: CorpusEntry): Scope {
  return { ...DEFAULT_SCOPE, ...entry.scope };
}

/** Replay explicit actions on a design with knobs, checking one invariant. */
export function replayActions(
  design: Design,
  knobs: KnobValues,
  entry: CorpusEntry,
  invariant: Invariant,
  onState?: ReplayOptions['onState'],
): { outcome: Outcome; problems: ReplayProblem[]; missing: MissingArgument[] } {
  const checker = makeChecker(design, knobs, entryScope(entry), [invariant]);
  // An op reading an argument the entry lacks stops the run there (argGuard.ts), never runs with undefined.
  const { guarded, missing, restore } = guardArguments(entry.trace.map((s) => s.action));
  const opts: RunOptions = onState ? { onState } : {};
  // An entry found under fault injection names its failed points per step; one without names none.
  if (hasFaults(entry.trace)) opts.faults = recordedFaults(entry.trace);
  const r = runResolved(checker, guarded, opts);
  return { outcome: restore(r.outcome), problems: r.problems, missing };
}

/** What an outcome says about the entry's invariant, in words. */
export function outcomeWords(o: Outcome, invariant: string): string {
  if (o.kind === 'error') return `harness error at ${stepWords(o.step)}: ${o.message}`;
  if (o.kind === 'violation' && o.violations.some((v) => v.invariant === invariant)) return `${invariant} violated at ${stepWords(o.step)}`;
  return `${invariant} holds through all ${o.trace.length} steps`;
}

/** The first step whose answer differs from the recorded one. */
function firstChangedAnswer(entry: CorpusEntry, o: Outcome): string | undefined {
  for (let i = 0; i < Math.min(entry.trace.length, o.trace.length); i++) {
    const was = entry.trace[i].result;
    const now = o.trace[i].result;
    if (canonicalJson(was) !== canonicalJson(now)) return `${stepWords(i)} (${entry.trace[i].action.op}) now answers ${resultText(now)}, recorded ${resultText(was)}`;
  }
  return undefined;
}

/** Names the entry uses that the design lacks, or a knob value it does not take: bad input. */
function nameProblem(design: Design, entry: CorpusEntry, digestMatches: boolean): string | undefined {
  for (const [name, value] of Object.entries(entry.knobs)) {
    const def = design.knobs[name];
    if (def === undefined) {
      if (digestMatches) return `/knobs/${name}: design ${design.id} has no knob '${name}'`;
      continue;
    }
    if (!def.values.includes(value)) return `/knobs/${name}: knob ${name} takes ${def.values.map(String).join(' | ')}, not ${JSON.stringify(value)}`;
  }
  if (!digestMatches) return undefined;
  const ops = new Set(design.ops.map((o) => o.name));
  const i = entry.trace.findIndex((s) => !ops.has(s.action.op));
  if (i >= 0) return `/trace/${i}/action/op: design ${design.id} has no op '${entry.trace[i].action.op}'`;
  return undefined;
}

/** Replay one loaded entry. */
export function replayEntry(entry: CorpusEntry, opts: ReplayOptions = {}): ReplayResult {
  const lookupDesign = opts.findDesign ?? registryDesign;
  const lookupInvariant = opts.findInvariant ?? registryInvariant;
  const design = lookupDesign(entry.design.id);
  if (design === undefined) return { status: 'bad-input', reason: `/design/id: unknown design '${entry.design.id}'`, notes: [], entry };
  const invariant = lookupInvariant(entry.invariant);
  if (invariant === undefined) return { status: 'bad-input', reason: `/invariant: unknown invariant '${entry.invariant}'`, notes: [], entry, design };
  if (!design.invariants.includes(invariant.id)) {
    return { status: 'bad-input', reason: `/invariant: design ${design.id} does not check ${invariant.id}`, notes: [], entry, design };
  }
  const digestNow = designDigest(design, entry.knobs);
  const digestMatches = digestNow === entry.design.digest;
  const bad = nameProblem(design, entry, digestMatches);
  if (bad !== undefined) return { status: 'bad-input', reason: bad, notes: [], entry, design };

  const knobs = fullKnobs(design, entry.knobs);
  let replayed: ReturnType<typeof replayActions>;
  try {
    replayed = replayActions(design, knobs, entry, invariant, opts.onState);
  } catch (e) {
    // Only building the world runs outside the runner's own error capture.
    const msg = e instanceof Error ? e.message : String(e);
    // A scope the entry chose (not the defaults) that the design cannot build a world in is a fault of the file.
    const own = Object.entries(entry.scope).filter(([k, v]) => DEFAULT_SCOPE[k as keyof Scope] !== v);
    if (own.length > 0) {
      const sizes = own.map(([k, v]) => `${k} ${v}`).join(', ');
      return { status: 'bad-input', reason: `/scope: ${design.id} cannot build a world with ${sizes}: ${msg}`, notes: [], entry, design, knobs };
    }
    return { status: 'no-longer-reproduces', reason: `harness error: building ${design.id}'s world threw: ${msg}`, notes: [], entry, design, knobs };
  }
  const { outcome, problems, missing } = replayed;
  if (missing.length > 0) {
    return { entry, design, knobs, outcome, aligned: false, status: 'stale', reason: `${missingArgumentWords(missing[0])} — not replayed past it`, notes: [] };
  }
  const base = { entry, design, knobs, outcome, aligned: problems.length === 0 };
  const now = outcomeWords(outcome, entry.invariant);
  const expected = entry.expect;
  const reproduced =
    expected.verdict === 'violated'
      ? outcome.kind === 'violation' && outcome.step === expected.step && outcome.violations.some((v) => v.invariant === entry.invariant)
      : outcome.kind === 'ok';
  const changedAnswer = problems.length === 0 ? firstChangedAnswer(entry, outcome) : undefined;

  const staleReasons: string[] = [];
  if (!digestMatches) {
    const changes = digestChanges(design, entry.design.ops, entry.knobs);
    staleReasons.push(`design ${design.id} changed digest (${changes.length > 0 ? changes.join('; ') : `recorded ${entry.design.digest}, now ${digestNow}`})`);
  }
  for (const p of problems) {
    staleReasons.push(p.reason === 'unknown-op' ? `${stepWords(p.step)}: op ${p.op} no longer exists` : `${stepWords(p.step)} (${p.op}) no longer applies: its actor cannot issue it`);
  }
  if (staleReasons.length > 0) {
    return { ...base, status: 'stale', reason: `${staleReasons.join('; ')} — replayed anyway: ${reproduced ? 'still reproduces' : now}`, notes: [] };
  }

  const notes: string[] = [];
  if (reproduced) {
    if (changedAnswer !== undefined) notes.push(changedAnswer);
    if (expected.verdict === 'violated' && outcome.kind === 'violation') {
      const w = outcome.violations.filter((v) => v.invariant === entry.invariant).flatMap((v) => v.witnesses);
      if (canonicalJson(w) !== canonicalJson(entry.witnesses)) notes.push('the witnesses differ from the recorded ones');
    }
    const what = expected.verdict === 'violated' ? `${now}, as recorded` : `${entry.invariant} holds, as recorded (fixed)`;
    return { ...base, status: 'reproduced', reason: what, notes };
  }
  const recorded = expected.verdict === 'violated' ? `recorded ${entry.invariant} violated at ${stepWords(expected.step)}` : 'recorded as fixed';
  const cause = changedAnswer !== undefined ? `; first difference: ${changedAnswer}` : '';
  return { ...base, status: 'no-longer-reproduces', reason: `${recorded}; now ${now}${cause}`, notes };
}

/** The first state of a replay that differs from the one an ITF file recorded, in words. */
function itfStateDifference(recorded: readonly Record<string, unknown>[], replayed: readonly unknown[]): string | undefined {
  for (let i = 0; i < Math.min(recorded.length, replayed.length); i++) {
    const mine = replayed[i] as Record<string, unknown>;
    const theirs: Record<string, unknown> = {};
    for (const k of Object.keys(mine)) theirs[k] = recorded[i][k];
    const where = firstDifference(theirs, mine);
    if (where !== undefined) return `ITF state ${i} differs from the replayed one at ${where.replace(/^\$\.?/, '')}`;
  }
  return undefined;
}

/** Load and replay one file. An ITF file's recorded states are compared with the replayed ones too. */
export function replayFile(file: string, opts: ReplayOptions = {}): ReplayResult {
  const loaded = loadEntryFile(file);
  if (!loaded.ok) return { file, status: loaded.status, reason: loaded.reason, notes: [] };
  if (loaded.itfStates === undefined) return { ...replayEntry(loaded.entry, opts), file };
  const seen: State[] = [];
  const r = replayEntry(loaded.entry, {
    ...opts,
    onState: (state, step) => {
      seen.push(cloneState(state));
      opts.onState?.(state, step);
    },
  });
  // A typed export encodes every state against the trace's joined type; one from before #meta.varTypes each state alone.
  const diff = r.aligned && itfStateDifference(loaded.itfStates, seen.map((s) => encodeItf(s))) !== undefined ? itfStateDifference(loaded.itfStates, encodeStates(seen)) : undefined;
  return { ...r, file, notes: diff !== undefined ? [...r.notes, diff] : r.notes };
}
