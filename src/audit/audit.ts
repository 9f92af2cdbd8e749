/**
 * `audit`: compare a proposed design with its baseline. Both are fuzzed with the same seed and budget
 * at their own default knobs, and every corpus entry recorded for either is replayed on both. The
 * result is a row per invariant — newly broken, newly fixed or unchanged, each side with its
 * shortest evidence (a shrunk fuzz trace or a corpus entry) — and a row per corpus entry replayed.
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
import type { CorpusEntry } from '../trace/corpusEntry.ts';
import { loadEntryFile } from '../trace/corpusLoad.ts';
import { replayActions, stepWords } from '../trace/replay.ts';

/** One side's verdict on an invariant, with the evidence for a violation. */
export interface SideVerdict {
  verdict: 'holds' | 'violated' | 'error' | 'not checked';
  evidence?: Evidence;
}

/** A trace showing a violation (or harness error): from fuzzing, or from a corpus entry. */
export interface Evidence {
  from: 'fuzz' | 'corpus';
  file?: string;
  trace: Step[];
  step: number;
  violations: Violation[];
  message?: string;
}

/** How the candidate compares with the baseline. */
export type Change = 'newly broken' | 'newly fixed' | 'unchanged' | 'error' | 'not comparable';

/** One row of the diff table. */
export interface AuditRow {
  invariant: string;
  category: string;
  baseline: SideVerdict;
  candidate: SideVerdict;
  change: Change;
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
  stats: { baseline: Stats; candidate: Stats };
  /** How long each side's fuzz campaign took (for JUnit times). */
  elapsedMs: { baseline: number; candidate: number };
  interrupted: boolean;
  newlyBroken: number;
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
}

function compare(b: SideVerdict['verdict'], c: SideVerdict['verdict']): Change {
  if (b === 'not checked' || c === 'not checked') return 'not comparable';
  if (c === 'error' || b === 'error') return 'error';
  if (b === 'holds' && c === 'violated') return 'newly broken';
  if (b === 'violated' && c === 'holds') return 'newly fixed';
  return 'unchanged';
}

/** The shorter of two pieces of evidence (a person reads the shorter trace). */
function shorter(a: Evidence | undefined, b: Evidence | undefined): Evidence | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.trace.length < a.trace.length ? b : a;
}

/** A side's verdicts from its campaign. */
function fromCampaign(design: Design, r: CampaignResult, id: string): SideVerdict {
  if (!design.invariants.includes(id)) return { verdict: 'not checked' };
  const v = r.verdicts.find((x) => x.invariant === id);
  if (v === undefined) return { verdict: 'not checked' };
  const cx = v.counterexample;
  // A vacuous hold is still a hold when comparing two designs (the fuzz report flags the vacuity).
  if (cx === undefined) return { verdict: v.verdict === 'vacuous' ? 'holds' : v.verdict };
  return { verdict: v.verdict === 'vacuous' ? 'holds' : v.verdict, evidence: { from: 'fuzz', trace: cx.trace, step: cx.step, violations: cx.violations, message: cx.message } };
}

/** Knob values for `design` with the entry's settings relative to `recordedFor` applied on top of its defaults. */
function knobsFor(design: Design, recordedFor: Design, entry: CorpusEntry): KnobValues {
  const knobs = knobDefaults(design);
  const base = knobDefaults(recordedFor);
  for (const [k, v] of Object.entries(entry.knobs)) if (k in knobs && base[k] !== v) knobs[k] = v;
  return knobs;
}

/** Replay an entry on one side: its verdict for the entry's invariant, in words and as evidence. */
function replaySide(design: Design, knobs: KnobValues, entry: CorpusEntry, inv: Invariant, file: string): { words: string; side: SideVerdict } {
  if (!design.invariants.includes(inv.id)) return { words: 'not checked', side: { verdict: 'not checked' } };
  let r: ReturnType<typeof replayActions>;
  try {
    r = replayActions(design, knobs, entry, inv);
  } catch (e) {
    return { words: `error: ${e instanceof Error ? e.message : String(e)}`, side: { verdict: 'error' } };
  }
  const { outcome, problems } = r;
  if (problems.length > 0) {
    const p = problems[0];
    return { words: `does not apply (${stepWords(p.step)}: ${p.reason === 'unknown-op' ? `no op ${p.op}` : `${p.op} not enabled`})`, side: { verdict: 'not checked' } };
  }
  if (outcome.kind === 'error') {
    return { words: `error at ${stepWords(outcome.step)}`, side: { verdict: 'error', evidence: { from: 'corpus', file, trace: outcome.trace, step: outcome.step, violations: [], message: outcome.message } } };
  }
  if (outcome.kind === 'violation' && outcome.violations.some((v) => v.invariant === inv.id)) {
    return {
      words: `violated at ${stepWords(outcome.step)}`,
      side: { verdict: 'violated', evidence: { from: 'corpus', file, trace: outcome.trace, step: outcome.step, violations: outcome.violations } },
    };
  }
  return { words: 'holds', side: { verdict: 'holds' } };
}

/**
 * A side whose campaign the watchdog stopped (an op that did not return) replays nothing: replay runs
 * in this thread, where the same op would hang the command.
 */
const NOT_REPLAYED: { words: string; side: SideVerdict } = { words: 'error: not replayed (an op did not return while fuzzing)', side: { verdict: 'error' } };

/** Run the audit. */
export async function runAudit(opts: AuditOptions): Promise<AuditResult> {
  const { baseline, candidate } = opts;
  const ids = [...new Set([...baseline.invariants, ...candidate.invariants])];
  const invariants = ids.map((id) => findInvariant(id)).filter((i): i is Invariant => i !== undefined);
  const campaign = (d: Design) =>
    (opts.runCampaign ?? runCampaignAsync)(d, {
      seed: opts.seed,
      budget: opts.budget,
      scope: opts.scope,
      knobs: knobDefaults(d),
      invariants: invariants.filter((i) => d.invariants.includes(i.id)),
      onProgress: opts.onProgress,
      shouldStop: opts.shouldStop,
    });
  const rb = await campaign(baseline);
  const rc = await campaign(candidate);

  const rows: AuditRow[] = invariants.map((inv) => ({
    invariant: inv.id,
    category: inv.category,
    baseline: fromCampaign(baseline, rb, inv.id),
    candidate: fromCampaign(candidate, rc, inv.id),
    change: 'unchanged',
  }));

  const corpus: CorpusRow[] = [];
  const skipped: string[] = [];
  for (const file of opts.corpusFiles) {
    const loaded = loadEntryFile(file);
    if (!loaded.ok) {
      skipped.push(`${file}: ${loaded.reason}`);
      continue;
    }
    const entry = loaded.entry;
    const recordedFor = entry.design.id === baseline.id ? baseline : entry.design.id === candidate.id ? candidate : undefined;
    const inv = findInvariant(entry.invariant);
    if (recordedFor === undefined || inv === undefined) continue;
    const settings = settingsOf(recordedFor, entry.knobs);
    const b = rb.stalled !== undefined ? NOT_REPLAYED : replaySide(baseline, knobsFor(baseline, recordedFor, entry), entry, inv, file);
    const c = rc.stalled !== undefined ? NOT_REPLAYED : replaySide(candidate, knobsFor(candidate, recordedFor, entry), entry, inv, file);
    const change = compare(b.side.verdict, c.side.verdict);
    corpus.push({ file, invariant: inv.id, settings, baseline: b.words, candidate: c.words, change, evidence: c.side.evidence ?? b.side.evidence });
    // Entries recorded at the default knobs are evidence for the default-vs-default table too.
    const row = rows.find((r) => r.invariant === inv.id);
    if (row === undefined || settings.length > 0) continue;
    for (const [side, got] of [['baseline', b.side], ['candidate', c.side]] as const) {
      if (got.verdict === 'violated' && row[side].verdict === 'holds') row[side] = got;
      else if (got.verdict === 'violated' && row[side].verdict === 'violated') row[side] = { verdict: 'violated', evidence: shorter(row[side].evidence, got.evidence) };
    }
  }
  for (const row of rows) row.change = compare(row.baseline.verdict, row.candidate.verdict);

  const broken = rows.filter((r) => r.change === 'newly broken').length + corpus.filter((r) => r.change === 'newly broken').length;
  return {
    baseline: baseline.id,
    candidate: candidate.id,
    seed: opts.seed,
    budget: opts.budget,
    rows,
    corpus,
    skipped,
    stats: { baseline: rb.stats, candidate: rc.stats },
    elapsedMs: { baseline: rb.elapsedMs, candidate: rc.elapsedMs },
    interrupted: rb.interrupted || rc.interrupted,
    newlyBroken: broken,
    newlyFixed: rows.filter((r) => r.change === 'newly fixed').length,
  };
}
