/**
 * `fuzz --junit FILE`: the fuzz report as JUnit XML. A test suite per campaign (design and knob
 * setting) with its time and the seed, design, budget and knobs as properties; a test case per
 * invariant. A case fails when its verdict is not what the design expects — the body is the shrunk
 * trace, the witness in words and the line that reproduces it — and errors when the model threw. An
 * expected violation passes, its trace folded into system-out.
 */
import { junitXml } from '../audit/junitXml.ts';
import type { JunitCase, JunitSuite } from '../audit/junitXml.ts';
import { actionText, traceLines, witnessLines } from '../trace/render.ts';
import type { Report, ResultRow } from './report.ts';

/** "design [knob=value]". */
function campaignName(design: string, settings: readonly string[]): string {
  return settings.length > 0 ? `${design} [${settings.join(' ')}]` : design;
}

/** The counterexample as the text report shows it: trace, witnesses, reproduce and replay lines. */
export function counterexampleText(r: ResultRow): string {
  const cx = r.counterexample;
  if (cx === undefined) return '';
  const lines = traceLines(cx.actions.map((action, i) => ({ action, result: cx.results[i] })), cx.step, cx.witnesses);
  if (cx.failingAction) lines.push(`  ${String(cx.length + 1).padStart(2)}. ${actionText(cx.failingAction)}  → threw`);
  if (cx.message) lines.push(`  error: ${cx.message}`);
  lines.push(...witnessLines(cx.witnesses), `  reproduce: ${cx.reproduce}`);
  if (cx.corpusFile !== undefined) lines.push(`  replay: npx shadowcheck replay ${cx.corpusFile}`);
  return lines.join('\n');
}

function testCase(r: ResultRow): JunitCase {
  const c: JunitCase = { name: r.invariant, classname: campaignName(r.design, r.settings) };
  const verdict = `${r.verdict} (expected ${r.expected}: ${r.why}); ${r.runs} runs, ${r.steps} steps`;
  const body = [verdict, counterexampleText(r)].filter((s) => s !== '').join('\n');
  if (r.verdict === 'error') c.problem = { kind: 'error', type: 'harness-error', message: `${r.invariant}: the model threw (${r.counterexample?.message ?? 'error'})`, text: body };
  else if (!r.asExpected && r.verdict === 'violated') c.problem = { kind: 'failure', type: 'unexpected-violation', message: `${r.invariant} violated; ${r.design} is expected to hold it`, text: body };
  else if (!r.asExpected) c.problem = { kind: 'failure', type: 'expected-violation-not-found', message: `${r.invariant} held; ${r.design} is expected to violate it (${r.why})`, text: body };
  else c.systemOut = body;
  return c;
}

/** JUnit XML for a fuzz report. */
export function fuzzJunit(report: Report): string {
  const budget = 'runs' in report.budget ? `${report.budget.runs} runs` : `${report.budget.seconds} s`;
  const suites: JunitSuite[] = report.campaigns.map((c) => {
    const rows = report.results.filter((r) => r.design === c.design && r.settings.join(' ') === c.settings.join(' '));
    const knobs: Record<string, string> = {};
    for (const [k, v] of Object.entries(rows[0]?.knobs ?? {})) knobs[`knob.${k}`] = String(v);
    return {
      name: campaignName(c.design, c.settings),
      seconds: c.elapsedMs / 1000,
      properties: { seed: String(report.seed), design: c.design, budget, knobs: c.settings.join(' ') || 'defaults', ...knobs, runs: String(c.stats.runs), steps: String(c.stats.steps), ...(c.interrupted ? { interrupted: 'true' } : {}) },
      cases: rows.map(testCase),
    };
  });
  return junitXml(`shadowcheck fuzz (seed ${report.seed}, ${budget}${'runs' in report.budget ? ' per campaign' : ' in all'})`, suites);
}
