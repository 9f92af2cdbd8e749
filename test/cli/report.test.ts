/** The fuzz report leads with the news: verdict line first and last, unexpected campaigns on top, expected traces folded, 80 columns. */
import { describe, expect, it } from 'vitest';
import { parseFuzzArgs, runFuzz } from '../../src/cli/fuzzCommand.ts';
import { buildReport, renderReport } from '../../src/cli/report.ts';
import { runCampaign } from '../../src/fuzz/campaign.ts';
import { findInvariant } from '../../invariants/registry.ts';
import { findDesign } from '../../src/model/designs.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';

/** xen-translate-gpfn's violations are expected; with 1 run per campaign they are not found: unexpected. */
async function report(runs: number) {
  return runFuzz(parseFuzzArgs(['--design', 'xen-map-for-dma', '--design', 'xen-translate-gpfn', '--invariant', 'no-stale-reference', '--invariant', 'no-foreign-reach', '--runs', String(runs)]));
}

const width = (l: string) => [...l].length;

describe('the fuzz report', () => {
  it('says the verdict on its second line and its last, with a line per campaign and the expected traces folded', async () => {
    const r = await report(300);
    const lines = renderReport(r).split('\n');
    expect(lines[1]).toMatch(/^all \d+ verdicts as expected$/);
    expect(lines[lines.length - 1]).toBe(lines[1]);
    expect(lines).toContain('  ok  xen-map-for-dma: 2 hold');
    // Every expected violation, the adversary variants' (backend=compromised…) among them.
    const expected = r.results.filter((x) => x.counterexample !== undefined).length;
    expect(expected).toBeGreaterThanOrEqual(3);
    expect(lines).toContain(`expected violations of known-bad designs (${expected}; --show expected for the traces):`);
    expect(lines).toContain('  xen-translate-gpfn · no-stale-reference: 3 actions');
    expect(lines.some((l) => l.startsWith('── '))).toBe(false);
    expect(lines.filter((l) => width(l) > 80)).toEqual([]);
  });

  it('--show expected unfolds the traces, still within 80 columns, reproduce lines continued with a backslash', async () => {
    const r = await report(300);
    const lines = renderReport(r, { show: new Set(['expected', 'situations']) }).split('\n');
    expect(lines.filter((l) => l.startsWith('── ')).length).toBe(r.results.filter((x) => x.counterexample !== undefined).length);
    expect(lines.some((l) => /^ {2}reproduce: npx shadowcheck fuzz .* \\$/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('risky situations reached — xen-map-for-dma: '))).toBe(true);
    expect(lines.filter((l) => width(l) > 80)).toEqual([]);
    // The table, when asked for, keeps its rows whole so its columns line up.
    const table = renderReport(r, { show: new Set(['table']) }).split('\n');
    expect(table).toContainEqual(expect.stringMatching(/^xen-translate-gpfn +\(defaults\) +no-stale-reference +security +VIOLATED +violated +\d+ +ok$/));
  });

  it('puts campaigns with unexpected verdicts at the top', async () => {
    // 300 runs of the defaults hold and reach the declared situations (ok); no run of checkTarget=false
    // cannot find its violation and reaches none of them (vacuous: unexpected).
    const d = findDesign('xen-map-for-dma')!;
    const invariants = ['no-stale-reference', 'no-foreign-reach'].map((id) => findInvariant(id)!);
    const ok = runCampaign(d, { seed: 1, budget: { runs: 300 }, scope: DEFAULT_SCOPE, knobs: { checkTarget: true }, invariants });
    const missed = runCampaign(d, { seed: 1, budget: { runs: 0 }, scope: DEFAULT_SCOPE, knobs: { checkTarget: false }, invariants });
    const r = buildReport([ok, missed], 1, { runs: 1 });
    const lines = renderReport(r).split('\n');
    expect(lines[1]).toMatch(/^\d+ of \d+ verdicts NOT as expected$/);
    // In campaign order xen-map-for-dma's defaults (as expected) come first; the unexpected ones go above them.
    const summary = lines.slice(3, lines.indexOf('', 3));
    expect(summary[0]).toBe('  UNEXPECTED  xen-map-for-dma [checkTarget=false]: VACUOUS: 2 held but never');
    const tags = summary.filter((l) => /^ {2}(ok|UNEXPECTED) /.test(l)).map((l) => l.trim().split(' ')[0]);
    expect(tags.indexOf('ok')).toBeGreaterThan(tags.lastIndexOf('UNEXPECTED'));
    expect(tags).toContain('ok');
    expect(lines.filter((l) => l.startsWith('── ')).length).toBe(0);
    expect(lines[lines.length - 1]).toBe(lines[1]);
  });

  it('shows in full an expected counterexample that --save could not save (its reproduce line is all that is left)', async () => {
    const r = await report(300);
    r.corpus = { dir: 'corpus', saved: [], existing: [] };
    const lines = renderReport(r).split('\n');
    expect(lines.filter((l) => l.startsWith('── ')).length).toBe(r.results.filter((x) => x.counterexample !== undefined).length);
    r.results.forEach((row) => row.counterexample && (row.counterexample.corpusFile = `corpus/${row.invariant}.json`));
    expect(renderReport(r).split('\n').filter((l) => l.startsWith('── ')).length).toBe(0);
  });
});
