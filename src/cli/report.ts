/**
 * The fuzz report: a verdict row per (design, knob setting, invariant), in JSON for machines and as a
 * table plus shrunk traces for people. Built from campaign results; printing is separate.
 */
import { findInvariant } from '../../invariants/registry.ts';
import type { Design } from '../model/core/design.ts';
import { settingsOf } from '../model/core/settings.ts';
import { expectationFor } from '../model/core/design.ts';
import type { CampaignResult, Counterexample } from '../fuzz/campaign.ts';
import { CHUNK_RUNS } from '../fuzz/campaign.ts';
import type { KnobValues } from '../model/core/op.ts';
import type { Stats } from '../runner/stats.ts';
import { OUTPUT_FORMATS } from '../trace/schemas/outputSchemas.ts';
import { wrapLine } from '../trace/wrap.ts';
import { actionText, traceLines, witnessLines, witnessText } from '../trace/render.ts';
import type { LevelRow } from './levelTable.ts';
import { levelTable, levelTableLines } from './levelTable.ts';

/** One row of the report. */
export interface ResultRow {
  design: string;
  knobs: KnobValues;
  /** Knobs that differ from the design's defaults, as `name=value` (what `--set` would say). */
  settings: string[];
  invariant: string;
  category: string;
  verdict: 'holds' | 'violated' | 'error' | 'vacuous';
  expected: 'holds' | 'violated';
  asExpected: boolean;
  why: string;
  runs: number;
  steps: number;
  counterexample?: {
    length: number;
    originalLength: number;
    step: number;
    actions: Counterexample['trace'][number]['action'][];
    results: Counterexample['trace'][number]['result'][];
    warnings: string[];
    witnesses: Counterexample['violations'];
    witnessText: string[];
    message?: string;
    /** For an error: the action whose model code threw. */
    failingAction?: Counterexample['trace'][number]['action'];
    reproduce: string;
    seed: number;
    /** The corpus file holding this counterexample, when it was saved (or already there). */
    corpusFile?: string;
  };
}

/** The whole report (`--json` prints exactly this). */
export interface Report {
  /** The version of this document's shape; its JSON Schema is src/trace/schemas/fuzz.schema.json. */
  format: typeof OUTPUT_FORMATS.fuzz;
  tool: 'shadowcheck';
  seed: number;
  budget: { runs: number } | { seconds: number };
  results: ResultRow[];
  campaigns: { design: string; settings: string[]; elapsedMs: number; stats: Stats; interrupted: boolean; unreached?: string[] }[];
  ok: boolean;
  /** With `--save`: the corpus directory, the entries written and those already there. */
  corpus?: { dir: string; saved: string[]; existing: string[] };
  /** With `--out-itf`: the ITF files written. */
  itf?: string[];
  /** Campaigns Ctrl-C stopped before they started ("design [knobs]"). */
  notRun?: string[];
  /** Tim Deegan's levels 0–3 per XenGT design × adversary setting × placement, when level invariants ran (levelTable.ts). */
  levels?: LevelRow[];
}

/** The command line that reproduces one verdict from its seed. */
export function reproduceLine(design: Design, settings: string[], invariant: string, seed: number, budget: Report['budget']): string {
  const sets = settings.map((s) => ` --set ${s}`).join('');
  const b = 'runs' in budget ? ` --runs ${budget.runs}` : ` --time ${budget.seconds}`;
  return `npx shadowcheck fuzz --design ${design.id}${sets} --invariant ${invariant} --seed ${seed}${b}`;
}

/**
 * The budget that reproduces a counterexample from the campaign seed: a run budget as given; for a
 * time budget, the run budget that reaches the chunk that found it — chunks are the same whatever the
 * budget, so `--runs (chunk + 1) × CHUNK_RUNS` replays exactly the runs that found it.
 */
function reproduceBudget(budget: Report['budget'], cx: Counterexample): Report['budget'] {
  if ('runs' in budget || cx.chunk === undefined) return budget;
  return { runs: (cx.chunk + 1) * CHUNK_RUNS };
}

/** Build the report from campaign results. */
export function buildReport(results: readonly CampaignResult[], seed: number, budget: Report['budget']): Report {
  const rows: ResultRow[] = [];
  for (const r of results) {
    const settings = settingsOf(r.design, r.knobs);
    for (const v of r.verdicts) {
      const exp = expectationFor(r.design, r.knobs, v.invariant);
      const row: ResultRow = {
        design: r.design.id,
        knobs: r.knobs,
        settings,
        invariant: v.invariant,
        category: findInvariant(v.invariant)?.category ?? 'unknown',
        verdict: v.verdict,
        expected: exp.verdict,
        asExpected: v.verdict === exp.verdict,
        why: exp.why,
        runs: v.runs,
        steps: v.steps,
      };
      const cx = v.counterexample;
      if (cx !== undefined) {
        row.counterexample = {
          length: cx.trace.length,
          originalLength: cx.originalLength,
          step: cx.step,
          actions: cx.trace.map((s) => s.action),
          results: cx.trace.map((s) => s.result),
          warnings: cx.trace.flatMap((s) => s.warnings ?? []),
          witnesses: cx.violations,
          witnessText: cx.violations.flatMap((viol) => viol.witnesses.map((w) => witnessText(viol.invariant, w))),
          message: cx.message,
          failingAction: cx.failingAction,
          reproduce: reproduceLine(r.design, settings, v.invariant, r.seed, reproduceBudget(budget, cx)),
          seed: cx.seed,
        };
      }
      rows.push(row);
    }
  }
  const levels = levelTable(rows);
  return {
    format: OUTPUT_FORMATS.fuzz,
    tool: 'shadowcheck',
    seed,
    budget,
    results: rows,
    campaigns: results.map((r) => ({
      design: r.design.id,
      settings: settingsOf(r.design, r.knobs),
      elapsedMs: r.elapsedMs,
      stats: r.stats,
      interrupted: r.interrupted,
      ...(r.unreached !== undefined ? { unreached: r.unreached } : {}),
    })),
    ok: rows.every((row) => row.asExpected),
    ...(levels.length > 0 ? { levels } : {}),
  };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** Parts of the report left out (or folded) unless asked for with `--show`. */
export const SHOW_PARTS = ['expected', 'situations', 'table'] as const;

/** A part `--show` can ask for: the traces of expected violations, the risky-situation counts, the full verdict table. */
export type ShowPart = (typeof SHOW_PARTS)[number];

/** How to render the report. */
export interface RenderOptions {
  /** Parts shown in full (default none: expected traces folded, situations summed up, no table). */
  show?: ReadonlySet<ShowPart>;
  /** Columns to wrap to. */
  width?: number;
}

/** "design [knob=value]". */
function campaignLabel(design: string, settings: readonly string[]): string {
  return settings.length > 0 ? `${design} [${settings.join(' ')}]` : design;
}

/** "all 106 verdicts as expected", "3 of 106 verdicts NOT as expected" (CI and the docs grep these words). */
export function verdictLine(report: Report): string {
  const bad = report.results.filter((r) => !r.asExpected).length;
  const n = report.results.length;
  if (bad > 0) return `${bad} of ${n} verdicts NOT as expected`;
  return n === 1 ? 'the verdict is as expected' : `all ${n} verdicts as expected`;
}

/** One line per campaign: what it found, unexpected verdicts first. */
function summaryLines(report: Report): string[] {
  const lines = report.campaigns.map((c) => {
    const rows = report.results.filter((r) => r.design === c.design && r.settings.join(' ') === c.settings.join(' '));
    const unexpected = rows.filter((r) => !r.asExpected);
    const violated = rows.filter((r) => r.asExpected && r.verdict === 'violated').map((r) => r.invariant);
    const holds = rows.filter((r) => r.asExpected && r.verdict === 'holds').length;
    const parts: string[] = [];
    const vacuous = unexpected.filter((r) => r.verdict === 'vacuous');
    if (vacuous.length > 0) parts.push(`VACUOUS: ${vacuous.length} held but never reached ${(c.unreached ?? []).join(', ')}`);
    for (const r of unexpected) {
      if (r.verdict === 'vacuous') continue;
      parts.push(r.verdict === 'error' ? `${r.invariant} ERROR (the model threw)` : `${r.invariant} ${r.verdict === 'violated' ? 'VIOLATED' : 'HELD'}, expected ${r.expected}`);
    }
    if (holds > 0) parts.push(`${holds} hold`);
    if (violated.length > 0) parts.push(`violates ${violated.join(', ')} as expected`);
    const tag = unexpected.length > 0 ? 'UNEXPECTED' : 'ok';
    const line = `  ${tag}  ${campaignLabel(c.design, c.settings)}: ${parts.join('; ') || 'no invariant checked'}${c.interrupted ? ' (interrupted)' : ''}`;
    return { unexpected: unexpected.length > 0, line };
  });
  return [...lines.filter((l) => l.unexpected), ...lines.filter((l) => !l.unexpected)].map((l) => l.line);
}

/** The verdict table, one row per (design, knobs, invariant): with `--show table`. */
function tableLines(report: Report): string[] {
  const cols = [
    ['design', 'knobs', 'invariant', 'category', 'verdict', 'expected', 'steps', ''],
    ...report.results.map((r) => [
      r.design,
      r.settings.join(' ') || '(defaults)',
      r.invariant,
      r.category,
      r.verdict === 'violated' ? 'VIOLATED' : r.verdict === 'error' ? 'ERROR' : r.verdict === 'vacuous' ? 'VACUOUS' : 'holds',
      r.expected,
      String(r.steps),
      r.asExpected ? 'ok' : 'UNEXPECTED',
    ]),
  ];
  const widths = cols[0].map((_, i) => Math.max(...cols.map((c) => c[i].length)));
  return cols.map((c) => c.map((cell, i) => pad(cell, widths[i])).join('  ').trimEnd());
}

/** A counterexample in full: trace, witnesses, expectation, reproduce and replay lines. */
function counterexampleLines(r: ResultRow): string[] {
  const cx = r.counterexample!;
  const what = r.verdict === 'error' ? 'harness error (a bug in the model, not a violation)' : `${r.category} invariant broken`;
  const out = [`── ${campaignLabel(r.design, r.settings)} · ${r.invariant} — ${what}; ${cx.length} action${cx.length === 1 ? '' : 's'} (shrunk from ${cx.originalLength})`];
  out.push(...traceLines(cx.actions.map((action, i) => ({ action, result: cx.results[i] })), cx.step, cx.witnesses));
  if (cx.warnings.length > 0) out.push(`  warnings logged: ${cx.warnings.join('; ')}`);
  if (cx.failingAction) out.push(`  ${String(cx.length + 1).padStart(2)}. ${actionText(cx.failingAction)}  → threw`);
  if (cx.message) out.push(`  error: ${cx.message}`);
  out.push(...witnessLines(cx.witnesses));
  out.push(`  expected: ${r.expected} — ${r.why}`);
  out.push(`  reproduce: ${cx.reproduce}`);
  if (cx.corpusFile !== undefined) out.push(`  replay: npx shadowcheck replay ${cx.corpusFile}`);
  return out;
}

/** Risky situations per campaign, with `--show situations`; otherwise only the campaigns that reached none. */
function situationLines(report: Report, full: boolean): string[] {
  const out: string[] = [];
  const none: string[] = [];
  for (const c of report.campaigns) {
    const sit = Object.entries(c.stats.situations)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    if (sit === '') none.push(campaignLabel(c.design, c.settings));
    if (full) out.push(`risky situations reached — ${campaignLabel(c.design, c.settings)}: ${sit || 'none'}${c.interrupted ? ' (interrupted)' : ''}`);
  }
  if (!full) {
    // A "holds" with no risky situation reached checked nothing: that is news; the counts are not.
    out.push(none.length === 0 ? 'risky situations: every campaign reached some (--show situations for the counts)' : `risky situations: NONE reached by ${none.join(', ')} — its verdicts of "holds" checked little`);
  }
  return out;
}

/**
 * The human-readable report, news first: the verdict line, a line per campaign (unexpected ones at
 * the top), the full trace of each unexpected verdict, the expected violations folded to one line each
 * (`--show expected` unfolds them), then what was saved, and the verdict line again at the end. Lines
 * are wrapped for an 80-column terminal (but for the `--show table` rows).
 */
export function renderReport(report: Report, opts: RenderOptions = {}): string {
  const show = opts.show ?? new Set<ShowPart>();
  const out: string[] = [];
  // A run budget is per search; a time budget is one deadline for the whole command (src/schedule/).
  const budget = 'runs' in report.budget ? `${report.budget.runs} runs per campaign` : `${report.budget.seconds} s in all`;
  const n = report.campaigns.length;
  out.push(`shadowcheck fuzz — seed ${report.seed}, ${budget}, ${n} campaign${n === 1 ? '' : 's'}`, verdictLine(report), '');
  // The tables are for a wide terminal or a pager: their rows are not wrapped, so their columns stay aligned.
  const unwrapped = new Set<number>();
  // The seed's taxonomy first, for the XenGT designs: what each design gives against whom.
  const levelLines = levelTableLines(report.levels ?? []);
  for (const row of levelLines) unwrapped.add(out.push(row) - 1);
  if (levelLines.length > 0) out.push('');
  out.push(...summaryLines(report));
  if (show.has('table')) {
    out.push('');
    for (const row of tableLines(report)) unwrapped.add(out.push(row) - 1);
  }
  for (const r of report.results) if (!r.asExpected && r.counterexample !== undefined) out.push('', ...counterexampleLines(r));
  // With --save, a counterexample that could not be saved is shown in full: its reproduce line is all that is left of it.
  const unsaved = (r: ResultRow): boolean => report.corpus !== undefined && r.counterexample?.corpusFile === undefined;
  const expected = report.results.filter((r) => r.asExpected && r.counterexample !== undefined && !(unsaved(r) && !show.has('expected')));
  for (const r of report.results) if (r.asExpected && r.counterexample !== undefined && unsaved(r) && !show.has('expected')) out.push('', ...counterexampleLines(r));
  if (expected.length > 0) {
    if (show.has('expected')) for (const r of expected) out.push('', ...counterexampleLines(r));
    else {
      out.push('', `expected violations of known-bad designs (${expected.length}; --show expected for the traces):`);
      for (const r of expected) out.push(`  ${campaignLabel(r.design, r.settings)} · ${r.invariant}: ${r.counterexample!.length} action${r.counterexample!.length === 1 ? '' : 's'}`);
    }
  }
  out.push('', ...situationLines(report, show.has('situations')));
  if (report.corpus !== undefined) {
    const { dir, saved, existing } = report.corpus;
    out.push('', `corpus: ${saved.length} new entries saved to ${dir}/, ${existing.length} already there`);
    for (const f of saved) out.push(`  saved ${f}`);
  }
  for (const f of report.itf ?? []) out.push(`ITF trace written: ${f}`);
  if (report.notRun !== undefined && report.notRun.length > 0) out.push('', `interrupted: not run — ${report.notRun.join(', ')}`);
  out.push('', verdictLine(report));
  return out.flatMap((l, i) => (unwrapped.has(i) ? [l] : wrapLine(l, opts.width))).join('\n');
}

/** One action per line, for quoting a trace in messages. */
export function traceSummary(cx: NonNullable<ResultRow['counterexample']>): string {
  return cx.actions.map(actionText).join('; ');
}
