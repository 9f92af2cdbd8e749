/**
 * The audit as JUnit XML for CI dashboards: a test suite per design (baseline, candidate), a test case
 * per invariant. A candidate's case fails when the invariant is newly broken (the minimal trace is the
 * failure's text) and errors when the proposal's code threw; everything else passes, with the verdict
 * in system-out so a known weakness shared with the baseline is still visible.
 */
import { actionText, resultText } from '../trace/render.ts';
import type { AuditResult, AuditRow, Evidence } from './audit.ts';

/** Escape text for XML content and attribute values. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function traceText(e: Evidence): string {
  return e.trace.map((s, i) => `${i + 1}. ${actionText(s.action)} → ${resultText(s.result)}${i === e.step ? '  ✗' : ''}`).join('\n');
}

function testCase(design: string, row: AuditRow, side: 'baseline' | 'candidate'): string {
  const v = row[side];
  const name = `name="${xmlEscape(row.invariant)}" classname="${xmlEscape(design)}"`;
  const out = `<system-out>${xmlEscape(`${v.verdict}; ${row.change}`)}</system-out>`;
  if (side === 'candidate' && row.change === 'newly broken') {
    const text = v.evidence ? traceText(v.evidence) : '';
    return `    <testcase ${name}>\n      <failure type="newly-broken" message="${xmlEscape(`${row.invariant} newly broken`)}">${xmlEscape(text)}</failure>\n      ${out}\n    </testcase>`;
  }
  if (side === 'candidate' && v.verdict === 'error') {
    return `    <testcase ${name}>\n      <error type="harness-error" message="${xmlEscape(v.evidence?.message ?? 'error')}"/>\n      ${out}\n    </testcase>`;
  }
  return `    <testcase ${name}>\n      ${out}\n    </testcase>`;
}

/** JUnit XML for an audit. */
export function auditJunit(r: AuditResult): string {
  const suites = (['baseline', 'candidate'] as const).map((side) => {
    const design = side === 'baseline' ? r.baseline : r.candidate;
    const rows = r.rows.filter((row) => row[side].verdict !== 'not checked');
    const failures = side === 'candidate' ? rows.filter((row) => row.change === 'newly broken').length : 0;
    const errors = side === 'candidate' ? rows.filter((row) => row.candidate.verdict === 'error').length : 0;
    const cases = rows.map((row) => testCase(design, row, side)).join('\n');
    return { xml: `  <testsuite name="${xmlEscape(`${design} (${side})`)}" tests="${rows.length}" failures="${failures}" errors="${errors}">\n${cases}\n  </testsuite>`, tests: rows.length, failures, errors };
  });
  const tests = suites.reduce((n, s) => n + s.tests, 0);
  const failures = suites.reduce((n, s) => n + s.failures, 0);
  const errors = suites.reduce((n, s) => n + s.errors, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="shadowcheck audit ${xmlEscape(r.candidate)}" tests="${tests}" failures="${failures}" errors="${errors}">\n${suites.map((s) => s.xml).join('\n')}\n</testsuites>\n`;
}
