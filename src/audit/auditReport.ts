/**
 * The audit as text for a reviewer, the answer first: one line saying how many invariants the
 * proposal newly breaks (or breaks in a new way), how many it fixes and on how much evidence; the
 * diff table; each harness error once; then the traces — each new break with what it does on the
 * baseline, each fix with the baseline's trace and what it does on the candidate; the corpus
 * replayed on both; the risky situations each side reached; the answer again with the re-run line.
 */
import type { Budget } from '../fuzz/campaign.ts';
import { actionText, traceLines, witnessLines } from '../trace/render.ts';
import { wrapLine } from '../trace/wrap.ts';
import type { AuditResult, AuditRow, Evidence } from './audit.ts';
import type { ExhaustiveReach } from './exhaustive.ts';
import type { HarnessError } from './harnessError.ts';
import { harnessErrorLine } from './harnessError.ts';

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

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const FROM_WORDS: Record<Evidence['from'], string> = {
  fuzz: 'shrunk by the fuzzer',
  corpus: 'replayed from',
  exhaustive: 'shortest, found by the exhaustive pass',
  replay: "the other side's trace, replayed here",
};

/** Lines showing one piece of evidence: where it came from, the trace, the witnesses. */
export function evidenceLines(e: Evidence): string[] {
  const where = e.from === 'corpus' ? `replayed from ${e.file}` : FROM_WORDS[e.from];
  // A harness error that kept no trace (a stalled step's worker is gone with it) has only its message.
  const head = e.trace.length === 0 && e.message ? [] : [`  ${plural(e.trace.length, 'action')}, ${where}:`];
  const out = [...head, ...traceLines(e.trace, e.step, e.violations)];
  if (e.message) out.push(`  error: ${e.message}`);
  out.push(...witnessLines(e.violations));
  return out;
}

/** Lines for one harness error: the one-line account, the steps before it and the step that threw. */
export function harnessErrorLines(e: HarnessError): string[] {
  const out = [`── harness error — ${harnessErrorLine(e)}`];
  if (e.phase === 'campaign') return out;
  out.push(...traceLines(e.trace, Number.MAX_SAFE_INTEGER, []));
  if (e.op !== undefined && e.phase !== 'invariant check') {
    const args = Object.fromEntries(Object.entries(e.args ?? {}).filter(([, v]) => typeof v !== 'object' || Array.isArray(v))) as Record<string, number>;
    out.push(`  ${String(e.step).padStart(2)}. ${actionText({ op: e.op, ...args })}  → threw in ${e.phase}${e.phase === 'apply' ? '' : ' (raw generated arguments)'}`);
  } else if (e.op === undefined) out.push('  (on the initial state, before any step)');
  out.push(`  invariants it cut short: ${e.invariants.join(', ') || 'none'}`);
  return out;
}

/**
 * The exhaustive pass's reach in words: "all traces ≤ 4 actions in scope core-small (4,336 and 4,340
 * states)" — the depth both sides completed (a state limit or Ctrl-C can stop one short of the bound,
 * and that is said), or why there was no pass.
 */
export function reachWords(x: ExhaustiveReach): string {
  if (!x.ran) return `no exhaustive pass: ${x.reason}`;
  const depth = Math.min(x.baseline.depth, x.candidate.depth);
  const states = `${x.baseline.states.toLocaleString('en')} and ${x.candidate.states.toLocaleString('en')} states`;
  const sides = [x.baseline, x.candidate];
  const short = sides.find((s) => s.depth < x.depthBound && s.stopped !== 'exhausted');
  // A side with no new state at some depth has explored every trace of any length in the scope.
  const all = sides.every((s) => s.stopped === 'exhausted');
  const failed = sides.find((s) => s.error !== undefined);
  if (failed !== undefined) return `exhaustive pass incomplete in scope ${x.scope}: ${failed.error}`;
  const why = short === undefined ? '' : short.stopped === 'max-states' ? `, state limit ${x.maxStates.toLocaleString('en')} reached before depth ${x.depthBound}` : short.stopped === 'all-violated' ? '' : `, stopped before depth ${x.depthBound} (${short.stopped})`;
  return `${all ? 'all traces of any length' : `all traces ≤ ${depth} actions`} in scope ${x.scope} (${states}${why})`;
}

/** How much the verdicts rest on: runs per design, and the exhaustive pass's reach (or why there was none). */
export function evidenceWords(r: AuditResult): string {
  const runs = 'runs' in r.budget ? `${r.budget.runs} runs per design` : `${Math.min(r.stats.baseline.runs, r.stats.candidate.runs)}+ runs per design in ${r.budget.seconds} s`;
  return r.exhaustive.ran ? `evidence: ${runs} + ${reachWords(r.exhaustive)}` : `evidence: ${runs}; ${reachWords(r.exhaustive)}`;
}

/**
 * The audit's answer in one line: "2 invariants newly broken, 0 fixed, evidence: 2000 runs per design".
 * Harness errors come first: they make the rest inconclusive.
 */
export function answerLine(r: AuditResult): string {
  const broken = r.rows.filter((x) => x.change === 'newly broken').length;
  const corpus = r.corpus.filter((x) => x.change === 'newly broken').length;
  const parts = [
    ...(r.errors.length > 0 ? [`${plural(r.errors.length, 'harness error')} (verdicts inconclusive)`] : []),
    broken === 0 && r.brokenDifferently === 0 && corpus === 0 && r.errors.length === 0 ? 'no invariant newly broken' : `${plural(broken, 'invariant')} newly broken`,
    ...(r.brokenDifferently > 0 ? [`${r.brokenDifferently} broken differently`] : []),
    ...(corpus > 0 ? [`${plural(corpus, 'corpus entry', 'corpus entries')} newly broken`] : []),
    `${r.newlyFixed} fixed`,
  ];
  return `${parts.join(', ')}; ${evidenceWords(r)}${r.interrupted ? ' (interrupted: verdicts cover the runs made)' : ''}`;
}

function changeCell(row: AuditRow): string {
  return row.change === 'newly broken' || row.change === 'broken differently' || row.change === 'error' ? row.change.toUpperCase() : row.change;
}

/** What the exhaustive pass explored on each side, under the heading (or why there was none). */
export function exhaustiveLines(r: AuditResult): string[] {
  const x = r.exhaustive;
  if (!x.ran) return [reachWords(x)];
  const why: Record<typeof x.baseline.stopped, string> = { depth: '', exhausted: ', no new state: every trace', 'max-states': ', state limit reached', interrupted: ', interrupted', 'all-violated': ', every invariant already broken' };
  const side = (name: string, s: typeof x.baseline) =>
    `  ${name}: depth ${s.depth}, ${s.states.toLocaleString('en')} states, ${(s.elapsedMs / 1000).toFixed(1)} s${why[s.stopped]}${s.error !== undefined ? `; ${s.error}` : ''}`;
  return [`exhaustive pass in scope ${x.scope} to depth ${x.depthBound} (state limit ${x.maxStates.toLocaleString('en')}):`, side(r.baseline, x.baseline), side(r.candidate, x.candidate)];
}

/**
 * The audit report: the answer, the diff table, the harness errors (once each), the traces of each
 * change, the corpus replayed on both, the situations reached, and the answer again with the re-run
 * line. Wrapped for 80 columns, but for the tables' rows, which stay whole so their columns line up.
 */
export function renderAudit(r: AuditResult, command: string): string {
  const out: string[] = [answerLine(r), `shadowcheck audit — ${r.candidate} against ${r.baseline} (seed ${r.seed}, ${budgetWords(r.budget)} per design)`, ...exhaustiveLines(r), ''];
  // The answer stays one line, however long: it is what a reviewer (or a CI log's first line) reads.
  const unwrapped = new Set<number>([0]);
  const verdict = (v: string) => (v === 'violated' ? 'VIOLATED' : v === 'error' ? 'ERROR' : v);
  const keep = (rows: string[]): string[] => {
    rows.forEach((_, i) => unwrapped.add(out.length + i));
    return rows;
  };
  out.push(...keep(table([['invariant', 'category', r.baseline, r.candidate, 'change'], ...r.rows.map((row) => [row.invariant, row.category, verdict(row.baseline.verdict), verdict(row.candidate.verdict), changeCell(row)])])));
  for (const e of r.errors) out.push('', ...harnessErrorLines(e));
  for (const row of r.rows) {
    if ((row.change !== 'newly broken' && row.change !== 'broken differently') || row.newBreak === undefined) continue;
    const how = row.change === 'newly broken' ? `newly broken by ${r.candidate}` : `broken differently by ${r.candidate}: ${r.baseline} breaks it too, but not this way`;
    out.push('', `── ${row.invariant} ${how} (${row.category})`, ...evidenceLines(row.newBreak), `  on ${r.baseline}: ${row.onBaseline ?? 'not replayed'}`);
    if (row.change === 'broken differently' && row.baseline.evidence !== undefined) out.push(`  ${r.baseline}'s own break, for comparison:`, ...evidenceLines(row.baseline.evidence).map((l) => `  ${l}`));
  }
  for (const row of r.rows) {
    if (row.change !== 'newly fixed' || row.baseline.evidence === undefined) continue;
    const mine = row.replays.filter((x) => x.whose === 'baseline');
    out.push('', `── ${row.invariant} newly fixed: ${r.baseline} breaks it like this, ${r.candidate} does not`, ...evidenceLines(row.baseline.evidence));
    for (const x of mine) out.push(`  on ${r.candidate}: ${x.words}${x.from === 'corpus' ? ` (${x.file})` : ''}`);
  }
  if (r.corpus.length > 0) {
    out.push('', `corpus entries replayed on both (${r.corpus.length}):`);
    out.push(...keep(table([['entry', 'knobs', r.baseline, r.candidate, 'change'], ...r.corpus.map((c) => [c.file, c.settings.join(' ') || '(defaults)', c.baseline, c.candidate, c.change])]).map((l) => `  ${l}`)));
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
  unwrapped.add(out.length + 1);
  out.push('', answerLine(r), `re-run: ${command}`);
  return out.flatMap((l, i) => (unwrapped.has(i) ? [l] : wrapLine(l))).join('\n');
}
