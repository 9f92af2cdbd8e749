/** `shadowcheck check` on the command line: report, exit codes, state limit, save and replay. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function run(argv: string[]): Promise<{ code: number; text: string }> {
  const out: string[] = [];
  const code = await main(argv, (s) => void out.push(s));
  return { code, text: out.join('\n') };
}

describe('shadowcheck check', () => {
  it('prints the shortest race as a trace, saves it to the corpus, and replay reproduces it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-check-'));
    dirs.push(dir);
    const r = await run(['check', '--design', 'xen-translate-gpfn', '--no-variants', '--invariant', 'no-stale-reference', '--depth', '3', '--save', '--corpus', dir]);
    expect(r.code).toBe(0);
    expect(r.text).toContain('no-stale-reference: VIOLATED, shortest counterexample 3 actions');
    expect(r.text).toMatch(/ 1\. shadowSet client=1/);
    expect(r.text).toContain('all 1 verdicts as expected');
    const files = readdirSync(join(dir, 'xen-translate-gpfn'));
    expect(files).toHaveLength(1);
    const replay = await run(['replay', join(dir, 'xen-translate-gpfn', files[0])]);
    expect(replay.code).toBe(0);
    expect(replay.text).toContain('1 reproduced');
  });

  it('says "holds for all traces" for the sound design, and JSON has the counts', async () => {
    const r = await run(['check', '--design', 'xen-map-for-dma', '--no-variants', '--depth', '2', '--invariant', 'no-stale-reference', '--invariant', 'no-foreign-reach', '--invariant', 'no-xen-frame-reach', '--invariant', 'refcounts-match-refs', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.text);
    expect(j.format).toBe('shadowcheck-check/1');
    expect(j.checks[0].states).toBeGreaterThan(10);
    expect(j.checks[0].depthComplete).toBe(2);
    expect(j.results.every((x: { verdict: string }) => x.verdict === 'holds')).toBe(true);
    const t = await run(['check', '--design', 'xen-map-for-dma', '--no-variants', '--depth', '2', '--invariant', 'no-stale-reference', '--invariant', 'no-foreign-reach', '--invariant', 'no-xen-frame-reach', '--invariant', 'refcounts-match-refs']);
    expect(t.text.replace(/\n +/g, " ")).toMatch(/every invariant holds for all traces of ≤ 2 actions in scope core-small \([0-9,]+ distinct states\)/);
  });

  it('a state limit is said, and is not a pass', async () => {
    const r = await run(['check', '--design', 'xen-map-for-dma', '--no-variants', '--depth', '6', '--max-states', '200']);
    expect(r.code).toBe(1);
    expect(r.text).toContain('STATE LIMIT');
  });

  it('refuses a bad scope override in words', async () => {
    const r = await run(['check', '--design', 'xen-map-for-dma', '--scope', 'nope=1']);
    expect(r.code).toBe(2);
  });
});
