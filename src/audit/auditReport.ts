/**
 * The audit as text for people: the diff table (one row per invariant), the minimal trace for each
 * invariant the proposal newly breaks, the corpus entries replayed on both, and a summary line.
 */
import type { Budget } from '../fuzz/campaign.ts';
import { traceLines, witnessLines } from '../trace/render.ts';
import { wrapLine } from '../trace/wrap.ts';
import type { AuditResult, Evidence } from './audit.ts';

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => pad(c, widths[i])).join('  ').trimEnd());
}

function budgetWords(b: Budget): string {
  return 'runs' in b ? `${b.runs} runs` : `${b.seconds} s`;
}

/** Lines showing one piece of evidence: where it came from, the trace, the witnesses. */
export function evidenceLines(e: Evidence): string[] {
  const where = e.from === 'fuzz' ? 'shrunk by the fuzzer' : `replayed from ${e.file}`;
  // A harness error that kept no trace (a stalled step's worker is gone with it) has only its message.
  const head = e.trace.length === 0 && e.message ? [] : [`  ${e.trace.length} action${e.trace.length === 1 ? '' : 's'}, ${where}:`];
  const out = [...head, ...traceLines(e.trace, e.step, e.violations)];
  if (e.message) out.push(`  error: ${e.message}`);
  out.push(...witnessLines(e.violations));
  return out;
}

/** "3 newly broken, 0 newly fixed, 3 unchanged": the audit's news in one line. */
function summaryLine(r: AuditResult): string {
  const fixed = r.rows.filter((x) => x.change === 'newly fixed').length;
  const same = r.rows.filter((x) => x.change === 'unchanged').length;
  return `${r.newlyBroken} newly broken, ${fixed} newly fixed, ${same} unchanged${r.interrupted ? ' (interrupted: verdicts cover the runs made)' : ''}`;
}

/**
 * The audit report, news first: the summary line, the diff table, the minimal trace of each
 * invariant newly broken, the corpus replayed on both, and the summary again with the re-run line.
 * Wrapped for 80 columns, but for the tables' rows, which stay whole so their columns line up.
 */
export function renderAudit(r: AuditResult, command: string): string {
  const out: string[] = [`shadowcheck audit — ${r.candidate} against ${r.baseline} (seed ${r.seed}, ${budgetWords(r.budget)} per design)`, summaryLine(r), ''];
  const unwrapped = new Set<number>();
  const verdict = (v: string) => (v === 'violated' ? 'VIOLATED' : v === 'error' ? 'ERROR' : v);
  const keep = (rows: string[]): string[] => {
    rows.forEach((_, i) => unwrapped.add(out.length + i));
    return rows;
  };
  out.push(
    ...keep(table([
      ['invariant', 'category', r.baseline, r.candidate, 'change'],
      ...r.rows.map((row) => [row.invariant, row.category, verdict(row.baseline.verdict), verdict(row.candidate.verdict), row.change === 'newly broken' || row.change === 'error' ? row.change.toUpperCase() : row.change]),
    ])),
  );
  for (const row of r.rows) {
    const e = row.candidate.evidence;
    if ((row.change !== 'newly broken' && row.change !== 'error') || e === undefined) continue;
    out.push('', `── ${row.invariant} ${row.change} by ${r.candidate} (${row.category})`, ...evidenceLines(e));
  }
  for (const row of r.rows) {
    if (row.change !== 'newly fixed' || row.baseline.evidence === undefined) continue;
    out.push('', `── ${row.invariant} newly fixed: ${r.baseline} breaks it like this, ${r.candidate} does not`, ...evidenceLines(row.baseline.evidence));
  }
  if (r.corpus.length > 0) {
    out.push('', `corpus entries replayed on both (${r.corpus.length}):`);
    out.push(
      ...keep(
        table([
          ['entry', 'knobs', r.baseline, r.candidate, 'change'],
          ...r.corpus.map((c) => [c.file, c.settings.join(' ') || '(defaults)', c.baseline, c.candidate, c.change]),
        ]).map((l) => `  ${l}`),
      ),
    );
    for (const c of r.corpus) {
      if (c.change === 'newly broken' && c.evidence) out.push('', `── ${c.file}: ${c.invariant} newly broken by ${r.candidate}`, ...evidenceLines(c.evidence));
    }
  }
  for (const s of r.skipped) out.push(`  skipped corpus file ${s}`);
  out.push('');
  for (const [name, stats] of [
    [r.baseline, r.stats.baseline],
    [r.candidate, r.stats.candidate],
  ] as const) {
    const sit = Object.entries(stats.situations)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    out.push(`risky situations reached — ${name}: ${stats.steps} steps; ${sit || 'none'}`);
  }
  out.push('', summaryLine(r), `re-run: ${command}`);
  return out.flatMap((l, i) => (unwrapped.has(i) ? [l] : wrapLine(l))).join('\n');
}
