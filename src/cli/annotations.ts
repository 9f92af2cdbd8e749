/**
 * GitHub Actions annotations: when `GITHUB_ACTIONS` is `true`, each unexpected verdict, entry that no
 * longer replays, or invariant newly broken is also printed as a workflow command
 * (`::error file=…,title=…::message`), so it shows on the pull request's Files and Summary pages.
 * Printed to stdout after the report, or to stderr with `--json` so stdout stays one JSON document
 * (the runner reads workflow commands from both).
 */
import type { AuditResult } from '../audit/audit.ts';
import { harnessErrorLine } from '../audit/harnessError.ts';
import type { ReplayReport } from './replayCommand.ts';
import type { Report } from './report.ts';

/** Whether this process runs as a GitHub Actions step. */
export function underGithubActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/** Escape a workflow command's message: `%`, CR and LF (the runner's own rules). */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value: as a message, plus `:` and `,`, which separate properties. */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One annotation. */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  title: string;
  message: string;
  file?: string;
}

/** The workflow command line for an annotation. */
export function annotationLine(a: Annotation): string {
  const props = [...(a.file !== undefined ? [`file=${escapeProperty(a.file)}`] : []), `title=${escapeProperty(a.title)}`];
  return `::${a.level} ${props.join(',')}::${escapeData(a.message)}`;
}

/** Annotations for a fuzz report: each verdict not as its design expects. */
export function fuzzAnnotations(report: Report): Annotation[] {
  return report.results
    .filter((r) => !r.asExpected)
    .map((r) => {
      const where = r.settings.length > 0 ? `${r.design} [${r.settings.join(' ')}]` : r.design;
      const cx = r.counterexample;
      const message = [
        r.verdict === 'holds'
          ? `held in ${r.runs} runs; expected violated: ${r.why}`
          : r.verdict === 'vacuous'
            ? `held in ${r.runs} runs without reaching a situation the design declares (vacuous); expected ${r.expected}: ${r.why}`
            : `expected ${r.expected}: ${r.why}`,
        ...(cx?.message !== undefined ? [`error: ${cx.message}`] : []),
        ...(cx?.witnessText.slice(0, 3) ?? []).map((w) => `witness: ${w}`),
        ...(cx !== undefined ? [`reproduce: ${cx.reproduce}`] : []),
      ].join('\n');
      return { level: 'error', title: `${where} · ${r.invariant}: ${r.verdict.toUpperCase()}, not as expected`, message, file: cx?.corpusFile };
    });
}

/** Annotations for a replay: each entry that did not reproduce (an error) and each stale one (a warning). */
export function replayAnnotations(report: ReplayReport): Annotation[] {
  return report.entries
    .filter((e) => e.status !== 'reproduced')
    .map((e) => ({
      level: e.status === 'stale' ? 'warning' : 'error',
      title: `${e.design !== undefined ? `${e.design} · ${e.invariant}: ` : ''}${e.status.replace(/-/g, ' ')}`,
      message: [e.reason, ...e.notes, `reproduce: npx shadowcheck replay ${e.file}`].join('\n'),
      file: e.file,
    }));
}

/** Annotations for an audit: each invariant newly broken, or erring, on the design file. */
export function auditAnnotations(r: AuditResult, file: string, command: string): Annotation[] {
  return r.rows
    .filter((row) => row.change === 'newly broken' || row.change === 'broken differently' || row.change === 'error')
    .map((row) => ({
      level: 'error',
      title: `${r.candidate} · ${row.invariant}: ${row.change} (against ${r.baseline})`,
      message: [`${row.category} invariant ${row.change} by ${r.candidate}`, ...(row.errors ?? []).map((i) => `harness error: ${harnessErrorLine(r.errors[i])}`), `re-run: ${command}`].join('\n'),
      file,
    }));
}

/** Print annotations when under GitHub Actions: to `out`, or to stderr when stdout carries JSON. */
export function emitAnnotations(annotations: readonly Annotation[], json: boolean, out: (s: string) => void, env: NodeJS.ProcessEnv = process.env): void {
  if (!underGithubActions(env) || annotations.length === 0) return;
  const text = annotations.map(annotationLine).join('\n');
  if (json) process.stderr.write(`${text}\n`);
  else out(text);
}
