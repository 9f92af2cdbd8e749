/**
 * The audit as JUnit XML for CI dashboards: a test suite per design (baseline, candidate), a test case
 * per invariant. A candidate's case fails when the invariant is newly broken — the body is the minimal
 * trace, the witness and the line that re-runs the audit — and errors when the proposal's code threw;
 * everything else passes, with the verdict in system-out so a known weakness shared with the baseline
 * is still visible. Each suite carries its campaign's time and the seed, design and budget.
 */
import { evidenceLines } from './auditReport.ts';
import type { AuditResult, AuditRow } from './audit.ts';
import type { JunitCase, JunitSuite } from './junitXml.ts';
import { junitXml } from './junitXml.ts';

function testCase(design: string, row: AuditRow, side: 'baseline' | 'candidate', command: string): JunitCase {
  const v = row[side];
  const c: JunitCase = { name: row.invariant, classname: design, systemOut: `${v.verdict}; ${row.change}` };
  const body = (): string => [...(v.evidence ? evidenceLines(v.evidence) : []), `  re-run: ${command}`].join('\n');
  if (side === 'candidate' && row.change === 'newly broken') {
    c.problem = { kind: 'failure', type: 'newly-broken', message: `${row.invariant} newly broken by ${design} (${row.category})`, text: body() };
  } else if (side === 'candidate' && v.verdict === 'error') {
    c.problem = { kind: 'error', type: 'harness-error', message: v.evidence?.message ?? 'error', text: body() };
  }
  return c;
}

/** JUnit XML for an audit; `command` is the line that re-runs it. */
export function auditJunit(r: AuditResult, command: string): string {
  const budget = 'runs' in r.budget ? `${r.budget.runs} runs` : `${r.budget.seconds} s`;
  const suites: JunitSuite[] = (['baseline', 'candidate'] as const).map((side) => {
    const design = side === 'baseline' ? r.baseline : r.candidate;
    const rows = r.rows.filter((row) => row[side].verdict !== 'not checked');
    return {
      name: `${design} (${side})`,
      seconds: r.elapsedMs[side] / 1000,
      properties: { seed: String(r.seed), design, baseline: r.baseline, budget, knobs: 'defaults', runs: String(r.stats[side].runs), steps: String(r.stats[side].steps) },
      cases: rows.map((row) => testCase(design, row, side, command)),
    };
  });
  return junitXml(`shadowcheck audit ${r.candidate}`, suites);
}
