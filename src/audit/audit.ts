/**
 * `audit`: compare a proposed design with its baseline. Both are fuzzed with the same seed and budget
 * at their own default knobs (and, given a checker, explored exhaustively to a small depth); every
 * counterexample found on either side is then replayed on the other, and every corpus entry recorded
 * for either is replayed on both. An invariant is
 *  - newly broken when a candidate trace violates it on the candidate and not on the baseline (or
 *    cannot run there), and the baseline breaks it in no way found;
 *  - broken differently when the baseline breaks it too, but some candidate trace does not break
 *    the baseline: a second, new way to break it (searched for on purpose: differentialSearch.ts);
 *  - newly fixed when the baseline breaks it and none of the baseline's traces (nor anything the
 *    candidate's search found) breaks it on the candidate — a weaker search is not a fix;
 *  - an error when model or invariant code threw on either side (harnessError.ts, reported once).
 */
import { findInvariant } from '../../invariants/registry.ts';
import type { Invariant } from '../../invariants/types.ts';
import { settingsOf } from '../model/core/settings.ts';
import type { Design } from '../model/core/design.ts';
import { knobDefaults } from '../model/core/design.ts';
import type { Budget, CampaignOptions, CampaignResult } from '../fuzz/campaign.ts';
import { runCampaignAsync } from '../fuzz/campaign.ts';
import type { KnobValues } from '../model/core/op.ts';
import type { Step, Violation } from '../runner/outcome.ts';
import type { Stats } from '../runner/stats.ts';
import { emptyStats } from '../runner/stats.ts';
import type { CorpusEntry } from '../trace/corpusEntry.ts';
import { loadEntryFile } from '../trace/corpusLoad.ts';
import { entryScope } from '../trace/replay.ts';
import type { Replayed, ReplayVerdict } from './crossReplay.ts';
import { replayTrace } from './crossReplay.ts';
import type { ExhaustiveOptions, ExhaustiveReach, ExhaustiveResult } from './exhaustive.ts';
import { exhaustivePass, smallScopeFor } from './exhaustive.ts';
import { AUDIT_DEFAULT_RUNS } from './defaultBudget.ts';
import { searchCandidateOnly } from './differentialSearch.ts';
import type { HarnessError } from './harnessError.ts';
import { addOnce, harnessError, outcomeFacts } from './harnessError.ts';

/** The two sides of an audit. */
export type Side = 'baseline' | 'candidate';

/** One side's verdict on an invariant, with its shortest evidence for a violation. */
export interface SideVerdict {
  verdict: 'holds' | 'violated' | 'error' | 'not checked';
  evidence?: Evidence;
}

/**
 * A trace showing a violation (or harness error): from fuzzing, a corpus entry, the exhaustive pass,
 * or — `replay` — the other side's trace, which breaks this side too although its own search did not.
 */
export interface Evidence {
  from: 'fuzz' | 'corpus' | 'exhaustive' | 'replay';
  file?: string;
  trace: Step[];
  step: number;
  violations: Violation[];
  message?: string;
}

/** How the candidate compares with the baseline. */
export type Change = 'newly broken' | 'broken differently' | 'newly fixed' | 'unchanged' | 'error' | 'not comparable';

/** One side's trace replayed on the other side. */
export interface CrossReplay {
  /** The side whose trace it is; it was replayed on the other. */
  whose: Side;
  from: Evidence['from'];
  file?: string;
  /** Actions in the trace. */
  length: number;
  verdict: ReplayVerdict;
  /** What happened on the other side, in words ("holds through all 3 steps", "cannot run: …"). */
  words: string;
}

/** One row of the diff table. */
export interface AuditRow {
  invariant: string;
  category: string;
  baseline: SideVerdict;
  candidate: SideVerdict;
  change: Change;
  /** Every trace of either side replayed on the other, and how it fared. */
  replays: CrossReplay[];
  /** For `newly broken` and `broken differently`: the shortest candidate trace that does not break the baseline. */
  newBreak?: Evidence;
  /** For `newly broken` and `broken differently`: what that trace does on the baseline, in words. */
  onBaseline?: string;
  /** For an `error`: indices into `errors`. */
  errors?: number[];
  /** When both sides break it: the runs of the search for a candidate-only break (differentialSearch.ts). */
  differentialRuns?: number;
}

/** One corpus entry replayed on both designs. */
export interface CorpusRow {
  file: string;
  invariant: string;
  /** Knob settings the entry ran with, relative to the design it was recorded for. */
  settings: string[];
  baseline: string;
  candidate: string;
  change: Change;
  evidence?: Evidence;
}

/** What `audit` found. */
export interface AuditResult {
  baseline: string;
  candidate: string;
  seed: number;
  budget: Budget;
  rows: AuditRow[];
  corpus: CorpusRow[];
  /** Corpus files that could not be read (listed, not replayed; they do not change the verdict). */
  skipped: string[];
  /** Every harness error, once each. */
  errors: HarnessError[];
  /** The bounded exhaustive pass: its scope, bound and each side's reach, or why it did not run. */
  exhaustive: ExhaustiveReach;
  stats: { baseline: Stats; candidate: Stats };
  /** How long each side's fuzz campaign took (for JUnit times). */
  elapsedMs: { baseline: number; candidate: number };
  interrupted: boolean;
  /** Invariants (and corpus entries) newly broken. */
  newlyBroken: number;
  /** Invariants both sides break, which the candidate also breaks in a new way. */
  brokenDifferently: number;
  newlyFixed: number;
}

/** Audit options: both designs, the campaign settings they share, the corpus to replay. */
export interface AuditOptions extends Pick<CampaignOptions, 'seed' | 'budget' | 'scope' | 'onProgress' | 'shouldStop'> {
  baseline: Design;
  candidate: Design;
  /** Corpus files to replay; entries recorded for other designs are ignored. */
  corpusFiles: readonly string[];
  /** How a campaign is run (the CLI passes its per-step watchdog's); default in-process. */
  runCampaign?: (design: Design, opts: CampaignOptions) => Promise<CampaignResult>;
  /** Run the bounded exhaustive pass on both sides (exhaustive.ts) with this bound; none when absent. */
  exhaustive?: ExhaustiveOptions;
}

/** A trace one side found for an invariant, and what it does on the other side. */
interface Found {
  on: Side;
  evidence: Evidence;
  /** The replay on the other side; undefined when that side could not be replayed on (a stalled campaign). */
  other: Replayed | undefined;
}

const OTHER: Record<Side, Side> = { baseline: 'candidate', candidate: 'baseline' };

/** The shorter of two pieces of evidence (a person reads the shorter trace). */
function shortest(list: readonly Evidence[]): Evidence | undefined {
  return list.reduce<Evidence | undefined>((a, b) => (a === undefined || b.trace.length < a.trace.length ? b : a), undefined);
}

/** Knob values for `design` with the entry's settings relative to `recordedFor` applied on top of its defaults. */
function knobsFor(design: Design, recordedFor: Design, entry: CorpusEntry): KnobValues {
  const knobs = knobDefaults(design);
  const base = knobDefaults(recordedFor);
  for (const [k, v] of Object.entries(entry.knobs)) if (k in knobs && base[k] !== v) knobs[k] = v;
  return knobs;
}

/** Evidence of a replay that violated. */
function replayEvidence(r: Replayed, from: Evidence['from'], file?: string): Evidence | undefined {
  const o = r.outcome;
  if (o === undefined || o.kind !== 'violation') return undefined;
  return { from, file, trace: o.trace, step: o.step, violations: o.violations };
}

/** A campaign that could not even start (its world or its generator threw) as a result with no verdicts. */
function failedCampaign(design: Design, opts: CampaignOptions): CampaignResult {
  return { design, knobs: opts.knobs, seed: opts.seed, verdicts: [], stats: emptyStats(), elapsedMs: 0, interrupted: false };
}

/** Run the audit. */
export async function runAudit(opts: AuditOptions): Promise<AuditResult> {
  const designs: Record<Side, Design> = { baseline: opts.baseline, candidate: opts.candidate };
  const ids = [...new Set([...opts.baseline.invariants, ...opts.candidate.invariants])];
  const invariants = ids.map((id) => findInvariant(id)).filter((i): i is Invariant => i !== undefined);
  const errors: HarnessError[] = [];
  const errorRows = new Map<string, Set<number>>();
  const noteError = (e: HarnessError, invariant: string): void => {
    const kept = addOnce(errors, e);
    const set = errorRows.get(invariant) ?? new Set<number>();
    set.add(errors.indexOf(kept));
    errorRows.set(invariant, set);
  };

  const campaign = async (side: Side): Promise<CampaignResult> => {
    const d = designs[side];
    const copts: CampaignOptions = {
      seed: opts.seed,
      budget: opts.budget,
      scope: opts.scope,
      knobs: knobDefaults(d),
      invariants: invariants.filter((i) => d.invariants.includes(i.id)),
      onProgress: opts.onProgress,
      shouldStop: opts.shouldStop,
    };
    try {
      return await (opts.runCampaign ?? runCampaignAsync)(d, copts);
    } catch (e) {
      // The campaign itself threw (building the world, or the generator rejecting an op's spec).
      const err = e instanceof Error ? e : new Error(String(e));
      for (const inv of copts.invariants) noteError({ ...harnessError(side, d.id, { trace: [], step: -1, message: err.message, stack: err.stack }, inv.id), phase: 'campaign' }, inv.id);
      return failedCampaign(d, copts);
    }
  };
  const results: Record<Side, CampaignResult> = { baseline: await campaign('baseline'), candidate: await campaign('candidate') };
  // A side whose campaign the watchdog stopped (an op that did not return) is replayed on by nothing:
  // replay runs in this thread, where the same op would hang the command.
  const replayable = (side: Side): boolean => results[side].stalled === undefined;
  const exhaustive: Partial<Record<Side, ExhaustiveResult>> = {};
  let reach: ExhaustiveReach = { ran: false, reason: 'not requested' };
  const small = opts.exhaustive === undefined ? undefined : (opts.exhaustive.scope ?? smallScopeFor(opts.baseline));
  if (typeof small === 'string') reach = { ran: false, reason: small };
  else if (small !== undefined && opts.exhaustive !== undefined) {
    const x = opts.exhaustive;
    for (const side of ['baseline', 'candidate'] as const) {
      const d = designs[side];
      const own = invariants.filter((i) => d.invariants.includes(i.id));
      // The exhaustive pass runs in this thread too: a side that stalled is not explored either.
      if (!replayable(side)) exhaustive[side] = { depth: 0, states: 0, transitions: 0, stopped: 'interrupted', elapsedMs: 0, error: 'not explored: an op did not return while fuzzing', findings: [] };
      else {
        try {
          exhaustive[side] = await exhaustivePass(d, own, small, { ...x, shouldStop: opts.shouldStop });
        } catch (e) {
          // Building the world in the small scope threw (the campaign's world may have been built fine).
          const message = e instanceof Error ? e.message : String(e);
          exhaustive[side] = { depth: 0, states: 0, transitions: 0, stopped: 'interrupted', elapsedMs: 0, error: `building the world in scope ${small.name} threw: ${message}`, findings: [] };
        }
      }
    }
    const sideReach = (s: Side) => {
      const { findings: _f, thrown: _t, ...rest } = exhaustive[s]!;
      return rest;
    };
    reach = { ran: true, scope: small.name, depthBound: x.depth, maxStates: x.maxStates, baseline: sideReach('baseline'), candidate: sideReach('candidate') };
  }
  const replayOn = (side: Side, inv: Invariant, trace: readonly Step[], scope = opts.scope): Replayed | undefined => {
    if (!replayable(side)) return undefined;
    const r = replayTrace(designs[side], knobDefaults(designs[side]), scope, inv, trace);
    // A trace that throws on the other side is that side's harness error.
    if (r.outcome?.kind === 'error') noteError(harnessError(side, designs[side].id, outcomeFacts(r.outcome), inv.id), inv.id);
    return r;
  };

  const found = new Map<string, Found[]>(invariants.map((i) => [i.id, []]));
  const ownVerdict = new Map<string, Record<Side, SideVerdict['verdict']>>();
  for (const inv of invariants) {
    const own: Record<Side, SideVerdict['verdict']> = { baseline: 'not checked', candidate: 'not checked' };
    for (const side of ['baseline', 'candidate'] as const) {
      if (!designs[side].invariants.includes(inv.id)) continue;
      const v = results[side].verdicts.find((x) => x.invariant === inv.id);
      if (v === undefined) {
        own[side] = errorRows.has(inv.id) ? 'error' : 'not checked';
        continue;
      }
      // A vacuous hold is still a hold when comparing two designs (the fuzz report flags the vacuity).
      own[side] = v.verdict === 'vacuous' ? 'holds' : v.verdict;
      const cx = v.counterexample;
      if (v.verdict === 'error' && cx !== undefined) noteError(harnessError(side, designs[side].id, cx, inv.id), inv.id);
      if (v.verdict === 'error' && cx === undefined) noteError(harnessError(side, designs[side].id, { trace: [], step: -1, message: results[side].stalled ?? 'error' }, inv.id), inv.id);
      if (v.verdict === 'violated' && cx !== undefined) {
        found.get(inv.id)!.push({ on: side, evidence: { from: 'fuzz', trace: cx.trace, step: cx.step, violations: cx.violations }, other: replayOn(OTHER[side], inv, cx.trace) });
      }
      for (const f of exhaustive[side]?.findings.filter((x) => x.invariant === inv.id) ?? []) {
        // Replayed on the other side in the scope it was found in, not the campaign's.
        found.get(inv.id)!.push({ on: side, evidence: { from: 'exhaustive', trace: f.trace, step: f.step, violations: f.violations }, other: replayOn(OTHER[side], inv, f.trace, typeof small === 'object' ? small.scope : opts.scope) });
      }
    }
    ownVerdict.set(inv.id, own);
  }
  // An op that threw while exploring is a harness error, reported once: only where fuzzing did not already report one on that side.
  for (const side of ['baseline', 'candidate'] as const) {
    const t = exhaustive[side]?.thrown;
    if (t === undefined || errors.some((e) => e.side === side)) continue;
    for (const inv of invariants.filter((i) => designs[side].invariants.includes(i.id))) {
      noteError(harnessError(side, designs[side].id, { trace: t.trace, step: t.trace.length, message: t.message, failingAction: t.action }, inv.id), inv.id);
    }
  }

  const corpus: CorpusRow[] = [];
  const skipped: string[] = [];
  for (const file of opts.corpusFiles) {
    const loaded = loadEntryFile(file);
    if (!loaded.ok) {
      skipped.push(`${file}: ${loaded.reason}`);
      continue;
    }
    const entry = loaded.entry;
    const recordedFor = entry.design.id === opts.baseline.id ? opts.baseline : entry.design.id === opts.candidate.id ? opts.candidate : undefined;
    const inv = findInvariant(entry.invariant);
    if (recordedFor === undefined || inv === undefined) continue;
    const settings = settingsOf(recordedFor, entry.knobs);
    const scope = entryScope(entry);
    const run = (side: Side): Replayed =>
      replayable(side) ? replayTrace(designs[side], knobsFor(designs[side], recordedFor, entry), scope, inv, entry.trace) : { verdict: 'error', words: 'error: not replayed (an op did not return while fuzzing)' };
    const r: Record<Side, Replayed> = { baseline: run('baseline'), candidate: run('candidate') };
    for (const side of ['baseline', 'candidate'] as const) {
      const o = r[side].outcome;
      if (r[side].verdict === 'error' && o?.kind === 'error') noteError(harnessError(side, designs[side].id, outcomeFacts(o), inv.id), inv.id);
    }
    // An entry that cannot run on a side (an op or argument that side lacks) is evidence of nothing
    // there: not a fix, not a break — said in the row's words, and not comparable.
    const change: Change =
      r.baseline.verdict === 'error' || r.candidate.verdict === 'error'
        ? 'error'
        : r.baseline.verdict === 'cannot run' || r.candidate.verdict === 'cannot run'
          ? 'not comparable'
          : r.candidate.verdict === 'violates' && r.baseline.verdict !== 'violates'
            ? 'newly broken'
            : r.baseline.verdict === 'violates' && r.candidate.verdict !== 'violates'
              ? 'newly fixed'
              : 'unchanged';
    const evidence = replayEvidence(r.candidate, 'corpus', file) ?? replayEvidence(r.baseline, 'corpus', file);
    corpus.push({ file, invariant: inv.id, settings, baseline: r.baseline.words, candidate: r.candidate.words, change, evidence });
    // Entries recorded at the default knobs are evidence for the default-vs-default table too: a trace
    // found on whichever side it breaks, with its replay on the other.
    if (settings.length > 0 || !found.has(inv.id)) continue;
    for (const side of ['baseline', 'candidate'] as const) {
      const ev = replayEvidence(r[side], 'corpus', file);
      if (ev !== undefined) found.get(inv.id)!.push({ on: side, evidence: ev, other: r[OTHER[side]] });
    }
  }

  // An invariant both sides break: search the candidate for a break the baseline does not share.
  const differentialRuns = new Map<string, number>();
  const runs = 'runs' in opts.budget ? opts.budget.runs : AUDIT_DEFAULT_RUNS;
  for (const inv of invariants) {
    const list = found.get(inv.id)!;
    const broken = (s: Side) => list.some((f) => f.on === s) || list.some((f) => f.on === OTHER[s] && f.other?.verdict === 'violates');
    const fresh = list.some((f) => f.on === 'candidate' && f.other !== undefined && f.other.verdict !== 'violates');
    if (fresh || errorRows.has(inv.id) || !replayable('baseline') || !replayable('candidate') || !broken('baseline') || !broken('candidate')) continue;
    if (opts.shouldStop?.()) break;
    const hit = await searchCandidateOnly(opts.candidate, opts.baseline, inv, { seed: opts.seed, runs, scope: opts.scope, shouldStop: opts.shouldStop });
    differentialRuns.set(inv.id, hit?.runs ?? runs);
    if (hit !== undefined) list.push({ on: 'candidate', evidence: { from: 'fuzz', trace: hit.outcome.trace, step: hit.outcome.step, violations: hit.outcome.violations }, other: hit.onBaseline });
  }

  const rows: AuditRow[] = invariants.map((inv) => ({
    ...classify(inv, ownVerdict.get(inv.id)!, found.get(inv.id)!, [...(errorRows.get(inv.id) ?? [])]),
    ...(differentialRuns.has(inv.id) ? { differentialRuns: differentialRuns.get(inv.id)! } : {}),
  }));
  return {
    baseline: opts.baseline.id,
    candidate: opts.candidate.id,
    seed: opts.seed,
    budget: opts.budget,
    rows,
    corpus,
    skipped,
    errors,
    exhaustive: reach,
    stats: { baseline: results.baseline.stats, candidate: results.candidate.stats },
    elapsedMs: { baseline: results.baseline.elapsedMs, candidate: results.candidate.elapsedMs },
    interrupted: results.baseline.interrupted || results.candidate.interrupted,
    newlyBroken: rows.filter((r) => r.change === 'newly broken').length + corpus.filter((r) => r.change === 'newly broken').length,
    brokenDifferently: rows.filter((r) => r.change === 'broken differently').length,
    newlyFixed: rows.filter((r) => r.change === 'newly fixed').length,
  };
}

/** One invariant's row from both sides' own verdicts and every trace found, each replayed on the other side. */
function classify(inv: Invariant, own: Record<Side, SideVerdict['verdict']>, found: readonly Found[], errorIndices: number[]): AuditRow {
  const replays: CrossReplay[] = found
    .filter((f) => f.other !== undefined)
    .map((f) => ({ whose: f.on, from: f.evidence.from, ...(f.evidence.file !== undefined ? { file: f.evidence.file } : {}), length: f.evidence.trace.length, verdict: f.other!.verdict, words: f.other!.words }));
  const base = { invariant: inv.id, category: inv.category, replays };
  const side = (s: Side): SideVerdict => {
    if (own[s] === 'not checked') return { verdict: 'not checked' };
    if (own[s] === 'error') return { verdict: 'error' };
    const mine = shortest(found.filter((f) => f.on === s).map((f) => f.evidence));
    if (mine !== undefined) return { verdict: 'violated', evidence: mine };
    // The other side's trace breaks this side too, though this side's own search found nothing.
    const theirs = shortest(found.filter((f) => f.on === OTHER[s] && f.other?.verdict === 'violates').map((f) => replayEvidence(f.other!, 'replay')!));
    return theirs !== undefined ? { verdict: 'violated', evidence: theirs } : { verdict: 'holds' };
  };
  const baseline = side('baseline');
  const candidate = side('candidate');
  if (baseline.verdict === 'not checked' || candidate.verdict === 'not checked') return { ...base, baseline, candidate, change: 'not comparable' };
  if (baseline.verdict === 'error' || candidate.verdict === 'error' || errorIndices.length > 0) return { ...base, baseline, candidate, change: 'error', errors: errorIndices };
  const candidateOnly = found.filter((f) => f.on === 'candidate' && f.other !== undefined && f.other.verdict !== 'violates');
  const fresh = candidateOnly.reduce<Found | undefined>((a, b) => (a === undefined || b.evidence.trace.length < a.evidence.trace.length ? b : a), undefined);
  if (fresh !== undefined) {
    const change: Change = baseline.verdict === 'violated' ? 'broken differently' : 'newly broken';
    return { ...base, baseline, candidate, change, newBreak: fresh.evidence, onBaseline: fresh.other!.words };
  }
  if (baseline.verdict === 'violated' && candidate.verdict === 'holds') return { ...base, baseline, candidate, change: 'newly fixed' };
  return { ...base, baseline, candidate, change: 'unchanged' };
}
