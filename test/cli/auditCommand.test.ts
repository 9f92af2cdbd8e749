import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { xenMapForDma } from '../../src/model/core/designs/xenMapForDma.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/entries.ts';

describe('shadowcheck audit (the README commands)', () => {
  it('the worked example: no-stale-reference newly broken with a trace of at most 5 actions, exit 1; --junit writes XML', async () => {
    const junit = join(tempDir(), 'audit.xml');
    const r = await runCli(['audit', 'examples/translate-gpfn-2014.ts', '--junit', junit]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^no-stale-reference +security +holds +VIOLATED +NEWLY BROKEN$/m);
    const section = r.out.slice(r.out.indexOf('── no-stale-reference newly broken by translate-gpfn-2014'));
    const length = Number(/\n {2}(\d+) actions, shrunk by the fuzzer:/.exec(section)?.[1]);
    expect(length).toBeGreaterThan(0);
    expect(length).toBeLessThanOrEqual(5);
    expect(r.out.split('\n')[0]).toMatch(/^6 invariants newly broken, 0 fixed; evidence: 3500 runs per design \+ all traces ≤ 4 actions in scope core-small \(\d[\d,]* and \d[\d,]* states\)$/);
    // Wrapped for 80 columns with a shell continuation; joined, it is the command to paste.
    expect(r.out.replace(/ \\\n +/g, ' ')).toContain('re-run: npx shadowcheck audit examples/translate-gpfn-2014.ts --seed 1 --runs 3500');
    // What the new break does on the baseline is said under its trace.
    expect(r.out).toMatch(/\n {2}on xen-map-for-dma: holds through all \d steps\n/);
    expect(readFileSync(junit, 'utf8')).toContain('failures="6"');
  });

  it('a design file identical to its baseline reports nothing new, exit 0', async () => {
    const r = await runCli(['audit', 'examples/map-for-dma-unchanged.ts', '--runs', '300']);
    expect(r.code).toBe(0);
    // The reach of "nothing newly broken": the runs, and every trace of up to 4 actions in the small scope, on both sides.
    expect(r.out.split('\n')[0]).toBe('no invariant newly broken, 0 fixed; evidence: 300 runs per design + all traces ≤ 4 actions in scope core-small (3,826 and 3,826 states)');
    expect(r.out).not.toMatch(/NEWLY BROKEN|newly fixed:/);
  });

  it('--json: one document with the rows and the corpus replayed', async () => {
    const r = await runCli(['audit', 'examples/map-any-domain.json', '--runs', '300', '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc.candidate).toBe('map-any-domain');
    expect(doc.rows.find((x: { invariant: string }) => x.invariant === 'no-foreign-reach').change).toBe('newly broken');
    // The committed corpus holds an xen-map-for-dma entry, recorded with checkTarget=false: replayed on both.
    expect(doc.corpus.some((c: { file: string; change: string }) => c.file.startsWith('corpus/xen-map-for-dma/') && c.change === 'unchanged')).toBe(true);
  });

  it.each([
    [['audit'], 'audit takes one design file (a .ts module or a .json knob file), got 0'],
    [['audit', 'test/fixtures/designs/throwsAtImport.ts'], "test/fixtures/designs/throwsAtImport.ts: threw while loading: deriveDesign: xen-map-for-dma has no knob 'checkTargets' (knobs: checkTarget, backendIommu, checkCollision, getPageFirst, iotlbFlush, freeBeforeFlush, backend, client, nonClient, backendPrivilege)"],
    [['audit', 'test/fixtures/designs/wrongShape.ts'], 'test/fixtures/designs/wrongShape.ts: export default.ops[0].apply: must be a function'],
    [['audit', 'test/fixtures/designs/plainDesign.ts'], /^test\/fixtures\/designs\/plainDesign\.ts: the design names no baseline; give one with --against \(valid: .*xen-map-for-dma/],
    [['audit', 'examples/translate-gpfn-2014.ts', '--against', 'xen-nope'], /^unknown baseline design 'xen-nope' \(valid: .*xen-map-for-dma/],
    [['audit', 'examples/translate-gpfn-2014.ts', '--runs', '5', '--time', '1'], 'give --runs or --time, not both'],
    [['audit', 'examples/translate-gpfn-2014.ts', '--corpus', '/nonexistent'], 'no such corpus file or directory: /nonexistent'],
  ])('bad input %j: one message, exit 2', async (argv, message: string | RegExp) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.err.startsWith('shadowcheck: ')).toBe(true);
    if (typeof message === 'string') expect(r.err).toBe(`shadowcheck: ${message}`);
    else expect(r.err.slice('shadowcheck: '.length)).toMatch(message);
    expect(r.out).toBe('');
  });

  it('--against names the baseline for a plain design', async () => {
    const r = await runCli(['audit', 'test/fixtures/designs/plainDesign.ts', '--against', 'xen-map-for-dma', '--runs', '50']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('plain-copy against xen-map-for-dma');
  });
});
