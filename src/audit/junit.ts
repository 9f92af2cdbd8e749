/**
 * The audit as JUnit XML for CI dashboards: a test suite per design (baseline, candidate), a test case
 * per invariant, plus one case per harness error. A candidate's case fails when the invariant is
 * newly broken or broken differently — the body is the candidate-only trace, what it does on the
 * baseline, the witness and the line that re-runs the audit. Each harness error is an `error` case of
 * its own, reported once with its op, arguments, step and stack top; the invariant cases it cut short
 * say so in system-out and point at it. Everything else passes, with the verdict in system-out, so a
 * known weakness shared with the baseline is still visible. Each suite carries its campaign's time
 * and the seed, design, budget and evidence, with the exhaustive pass's reach on that side.
 */
import { evidenceLines, evidenceWords, harnessErrorLines } from './auditReport.ts';
import type { AuditResult, AuditRow, Side } from './audit.ts';
import { harnessErrorLine } from './harnessError.ts';
import type { JunitCase, JunitSuite } from './junitXml.ts';
import { junitXml } from './junitXml.ts';

function testCase(r: AuditResult, design: string, row: AuditRow, side: Side, command: string): JunitCase {
  const v = row[side];
  const errors = (row.errors ?? []).filter((i) => r.errors[i].side === side).map((i) => `harness error ${i + 1}`);
  const c: JunitCase = { name: row.invariant, classname: design, systemOut: `${v.verdict}; ${row.change}${errors.length > 0 ? ` (inconclusive: ${errors.join(', ')})` : ''}` };
  if (side === 'candidate' && (row.change === 'newly broken' || row.change === 'broken differently') && row.newBreak !== undefined) {
    const text = [...evidenceLines(row.newBreak), `  on ${r.baseline}: ${row.onBaseline ?? 'not replayed'}`, `  re-run: ${command}`].join('\n');
    c.problem = { kind: 'failure', type: row.change === 'newly broken' ? 'newly-broken' : 'broken-differently', message: `${row.invariant} ${row.change} by ${design} (${row.category})`, text };
  }
  return c;
}

/** The exhaustive pass's reach on one side as suite properties (the scope, depth completed, states), or why there was none. */
function exhaustiveProperties(r: AuditResult, side: Side): Record<string, string> {
  const x = r.exhaustive;
  if (!x.ran) return { exhaustive: x.reason };
  return { 'exhaustive-scope': x.scope, 'exhaustive-depth': String(x[side].depth), 'exhaustive-states': String(x[side].states), 'exhaustive-stopped': x[side].stopped };
}

/** JUnit XML for an audit; `command` is the line that re-runs it. */
export function auditJunit(r: AuditResult, command: string): string {
  const budget = 'runs' in r.budget ? `${r.budget.runs} runs` : `${r.budget.seconds} s`;
  const suites: JunitSuite[] = (['baseline', 'candidate'] as const).map((side) => {
    const design = side === 'baseline' ? r.baseline : r.candidate;
    const rows = r.rows.filter((row) => row[side].verdict !== 'not checked');
    const errorCases: JunitCase[] = r.errors.flatMap((e, i) =>
      e.side !== side ? [] : [{ name: `harness error ${i + 1}`, classname: design, problem: { kind: 'error', type: 'harness-error', message: harnessErrorLine(e), text: [...harnessErrorLines(e), `  re-run: ${command}`].join('\n') } }],
    );
    return {
      name: `${design} (${side})`,
      seconds: r.elapsedMs[side] / 1000,
      properties: { seed: String(r.seed), design, baseline: r.baseline, budget, evidence: evidenceWords(r), knobs: 'defaults', runs: String(r.stats[side].runs), steps: String(r.stats[side].steps), ...exhaustiveProperties(r, side) },
      cases: [...rows.map((row) => testCase(r, design, row, side, command)), ...errorCases],
    };
  });
  return junitXml(`shadowcheck audit ${r.candidate}`, suites);
}
