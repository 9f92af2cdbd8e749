/**
 * The report of `shadowcheck check`: per (design, knob setting) what was explored and, per invariant,
 * "holds to depth d" or the shortest counterexample, rendered with the same trace code as fuzz.
 */
import { findInvariant } from '../../invariants/registry.ts';
import { expectationFor } from '../model/core/design.ts';
import { settingsOf } from '../model/core/settings.ts';
import type { CheckResult, StopReason } from '../check/types.ts';
import { actionText, traceLines, witnessLines } from '../trace/render.ts';
import { wrapLine } from '../trace/wrap.ts';

/** One verdict row, beside its design's expectation. */
export interface CheckRow {
  design: string;
  settings: string[];
  invariant: string;
  verdict: 'holds' | 'violated' | 'error' | 'vacuous';
  expected: 'holds' | 'violated';
  asExpected: boolean;
  why: string;
  /** Length of the shortest counterexample (BFS: none shorter exists in scope). */
  shortest?: number;
  /** The corpus file holding it, with --save. */
  corpusFile?: string;
}

/** The whole check report (`--json` prints this). */
export interface CheckReport {
  format: 'shadowcheck-check/1';
  tool: 'shadowcheck';
  // The result's own counts under their own names (CheckResult), plus what the JSON spells out.
  checks: (Pick<CheckResult, 'reduction' | 'symmetryApplied' | 'depthBound' | 'depthComplete' | 'states' | 'transitions' | 'elapsedMs' | 'cpuMs'> & {
    design: string;
    settings: string[];
    scope: string;
    scopeFields: CheckResult['scope'];
    statesPerSecond: number;
    peakRssBytes: number;
    stopped: StopReason;
    situations: Record<string, number>;
    unreached: string[];
    counterexamples: { invariant: string; kind: 'violation' | 'error'; step: number; trace: unknown[]; witnesses: unknown[]; message?: string }[];
  })[];
  results: CheckRow[];
  ok: boolean;
  corpus?: { dir: string; saved: string[]; existing: string[] };
  itf?: string[];
}

/** States per second of a result. */
export function statesPerSecond(r: CheckResult): number {
  return r.elapsedMs > 0 ? Math.round((r.states * 1000) / r.elapsedMs) : r.states;
}

/** Whether a result's "holds" verdicts cover the whole bound (not cut short by a limit or Ctrl-C). */
function complete(r: CheckResult): boolean {
  return r.stopped === 'exhausted' || r.stopped === 'depth' || r.stopped === 'all-violated';
}

/** Build the report. A holds/vacuous verdict on a cut-short exploration is never as expected. */
export function buildCheckReport(results: readonly CheckResult[]): CheckReport {
  const rows: CheckRow[] = [];
  for (const r of results) {
    const settings = settingsOf(r.design, r.knobs);
    for (const v of r.verdicts) {
      const exp = expectationFor(r.design, r.knobs, v.invariant);
      const asExpected = v.verdict === exp.verdict && (v.verdict === 'violated' || complete(r));
      const row: CheckRow = { design: r.design.id, settings, invariant: v.invariant, verdict: v.verdict, expected: exp.verdict, asExpected, why: exp.why };
      if (v.counterexample !== undefined) row.shortest = v.counterexample.trace.length;
      rows.push(row);
    }
  }
  return {
    format: 'shadowcheck-check/1',
    tool: 'shadowcheck',
    checks: results.map((r) => ({
      design: r.design.id,
      settings: settingsOf(r.design, r.knobs),
      scope: r.scopeName,
      scopeFields: r.scope,
      reduction: r.reduction,
      symmetryApplied: r.symmetryApplied,
      depthBound: r.depthBound,
      depthComplete: r.depthComplete,
      states: r.states,
      transitions: r.transitions,
      elapsedMs: r.elapsedMs,
      cpuMs: r.cpuMs,
      statesPerSecond: statesPerSecond(r),
      peakRssBytes: r.peakRss,
      stopped: r.stopped,
      situations: r.situations,
      unreached: r.unreached,
      counterexamples: r.verdicts.flatMap((v) =>
        v.counterexample === undefined
          ? []
          : [{ invariant: v.invariant, kind: v.counterexample.kind, step: v.counterexample.step, trace: v.counterexample.trace, witnesses: v.counterexample.violations, message: v.counterexample.message }],
      ),
    })),
    results: rows,
    ok: rows.every((row) => row.asExpected),
  };
}

/** "3 domains, 9 frames, 3 GFNs, 2 BFNs, 1 grant ref, 2 DMA slots". */
function scopeText(s: CheckResult['scope']): string {
  return `${s.domains} domains (+${s.spareDomains} spare), ${s.frames} frames, ${s.gfns} GFNs, ${s.bfns} BFNs, ${s.grantRefs} grant refs, ${s.dmaSlots} DMA slots`;
}

/** Why exploration ended, in words. */
function stopText(r: CheckResult): string {
  switch (r.stopped) {
    case 'exhausted':
      return `no new state after depth ${r.depthComplete}: every reachable state in scope was explored (holds for traces of any length)`;
    case 'depth':
      return `depth bound ${r.depthBound} reached`;
    case 'max-states':
      return `STATE LIMIT: stopped at --max-states ${r.maxStates.toLocaleString('en')} during depth ${r.depthComplete + 1}; only traces of ≤ ${r.depthComplete} actions were all explored (raise --max-states or lower --depth)`;
    case 'memory':
      return `MEMORY LIMIT: the heap neared its limit during depth ${r.depthComplete + 1} (${r.states.toLocaleString('en')} states stored); only traces of ≤ ${r.depthComplete} actions were all explored (lower --depth or --max-states, or raise node's --max-old-space-size)`;
    case 'interrupted':
      return `interrupted during depth ${r.depthComplete + 1}; traces of ≤ ${r.depthComplete} actions were all explored`;
    case 'all-violated':
      return `stopped during depth ${r.depthComplete + 1}: every checked invariant has its shortest counterexample`;
  }
}

/** "design [knob=value]". */
function label(design: string, settings: readonly string[]): string {
  return settings.length > 0 ? `${design} [${settings.join(' ')}]` : design;
}

/** The human report. */
export function renderCheckReport(report: CheckReport, results: readonly CheckResult[], width?: number): string {
  const out: string[] = [];
  const bad = report.results.filter((r) => !r.asExpected).length;
  const verdictLine = bad > 0 ? `${bad} of ${report.results.length} verdicts NOT as expected` : `all ${report.results.length} verdicts as expected`;
  out.push(`shadowcheck check — ${results.length} design setting${results.length === 1 ? '' : 's'}`, verdictLine);
  results.forEach((r, i) => {
    const c = report.checks[i];
    const name = label(c.design, c.settings);
    out.push('', `── ${name}: scope ${r.scopeName} (${scopeText(r.scope)}), depth ≤ ${r.depthBound}, ${r.reduction === 'symmetry' ? (r.symmetryApplied ? 'symmetry reduction' : 'symmetry not applicable to this state shape (plain keys)') : 'no symmetry reduction'}`);
    const perCpu = r.cpuMs > 0 ? Math.round((r.states * 1000) / r.cpuMs) : r.states;
    out.push(`  ${r.states.toLocaleString('en')} distinct states, ${r.transitions.toLocaleString('en')} transitions, ${c.statesPerSecond.toLocaleString('en')} states/s (${perCpu.toLocaleString('en')} per CPU-s), ${(r.elapsedMs / 1000).toFixed(1)} s, peak RSS ${Math.round(r.peakRss / 2 ** 20)} MiB (visited set hashed, 52 bits)`);
    out.push(`  ${stopText(r)}`);
    const rows = report.results.filter((x) => x.design === c.design && x.settings.join(' ') === c.settings.join(' '));
    const violated = r.verdicts.filter((v) => v.verdict === 'violated' || v.verdict === 'error');
    const holdsAll = violated.length === 0 && r.verdicts.every((v) => v.verdict === 'holds');
    const d = r.stopped === 'exhausted' ? r.depthComplete : r.stopped === 'depth' ? r.depthBound : r.depthComplete;
    if (holdsAll && (r.stopped === 'depth' || r.stopped === 'exhausted')) {
      out.push(`  every invariant holds for all traces of ≤ ${d} actions in scope ${r.scopeName} (${r.states.toLocaleString('en')} distinct states)`);
    }
    if (r.unreached.length > 0) out.push(`  VACUOUS: declared situations never reached: ${r.unreached.join(', ')}`);
    for (const row of rows) {
      const tag = row.asExpected ? 'ok' : 'UNEXPECTED';
      const what =
        row.verdict === 'violated'
          ? `VIOLATED, shortest counterexample ${row.shortest} action${row.shortest === 1 ? '' : 's'}`
          : row.verdict === 'error'
            ? 'ERROR (the model threw)'
            : row.verdict === 'vacuous'
              ? `vacuous to depth ${d} (a declared situation was never reached)`
              : `holds to depth ${d}`;
      out.push(`  ${tag.padEnd(10)} ${row.invariant}: ${what}; expected ${row.expected}`);
    }
    for (const v of r.verdicts) {
      const cx = v.counterexample;
      if (cx === undefined || (cx.kind === 'error' && v !== r.verdicts.find((x) => x.counterexample === cx))) continue;
      const row = rows.find((x) => x.invariant === v.invariant)!;
      const inv = findInvariant(v.invariant);
      out.push('', `  ${name} · ${v.invariant} — ${cx.kind === 'error' ? 'harness error' : `${inv?.category ?? ''} invariant broken`}; ${cx.trace.length} action${cx.trace.length === 1 ? '' : 's'} (shortest in scope)`);
      out.push(...traceLines(cx.trace, cx.step, cx.violations.filter((x) => x.invariant === v.invariant)));
      if (cx.failingAction !== undefined) out.push(`  ${String(cx.trace.length + 1).padStart(2)}. ${actionText(cx.failingAction)}  → threw`);
      if (cx.message !== undefined) out.push(`  error: ${cx.message}`);
      out.push(...witnessLines(cx.violations.filter((x) => x.invariant === v.invariant)));
      out.push(`  expected: ${row.expected} — ${row.why}`);
      if (row.corpusFile !== undefined) out.push(`  replay: npx shadowcheck replay ${row.corpusFile}`);
    }
  });
  if (report.corpus !== undefined) out.push('', `corpus: ${report.corpus.saved.length} new entries saved to ${report.corpus.dir}/, ${report.corpus.existing.length} already there`);
  for (const f of report.itf ?? []) out.push(`ITF trace written: ${f}`);
  out.push('', verdictLine);
  return out.flatMap((l) => wrapLine(l, width)).join('\n');
}
