import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFuzzArgs, runFuzz } from '../../src/cli/fuzzCommand.ts';
import { replayFile } from '../../src/trace/replay.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/entries.ts';

const TRANSLATE = ['fuzz', '--design', 'xen-translate-gpfn', '--no-variants', '--invariant', 'no-stale-reference', '--invariant', 'no-foreign-reach', '--runs', '300'];

describe('fuzz --save', () => {
  it('saves each shrunk violation once, names the file in the report, and de-duplicates on the next run', async () => {
    const corpus = tempDir();
    const first = await runCli([...TRANSLATE, '--save', '--corpus', corpus]);
    expect(first.code).toBe(0);
    const files = readdirSync(join(corpus, 'xen-translate-gpfn')).sort();
    expect(files).toEqual([expect.stringMatching(/^no-foreign-reach-[0-9a-f]{8}\.json$/), expect.stringMatching(/^no-stale-reference-[0-9a-f]{8}\.json$/)]);
    expect(first.out).toContain(`corpus: 2 new entries saved to ${corpus}/, 0 already there`);
    for (const f of files) {
      const path = join(corpus, 'xen-translate-gpfn', f);
      expect(first.out).toContain(`  saved ${path}`);
      expect(replayFile(path).status).toBe('reproduced');
    }
    const second = await runCli([...TRANSLATE, '--save', '--corpus', corpus]);
    expect(second.out).toContain(`corpus: 0 new entries saved to ${corpus}/, 2 already there`);
    expect(readdirSync(join(corpus, 'xen-translate-gpfn')).sort()).toEqual(files);
  });

  it('does not save without --save, with --json, or with --no-save', async () => {
    for (const extra of [[], ['--json'], ['--save', '--no-save']]) {
      const corpus = tempDir();
      const r = await runCli([...TRANSLATE, '--corpus', corpus, ...extra]);
      expect(r.code).toBe(0);
      expect(readdirSync(corpus)).toEqual([]);
    }
  });

  it('--json --save puts the saved files in the JSON report', async () => {
    const corpus = tempDir();
    const r = await runCli([...TRANSLATE, '--json', '--save', '--corpus', corpus]);
    const report = JSON.parse(r.out);
    expect(report.corpus.saved).toHaveLength(2);
    expect(report.results.filter((row: { counterexample?: { corpusFile?: string } }) => row.counterexample?.corpusFile !== undefined)).toHaveLength(2);
  });

  it('--out-itf writes one ITF file per counterexample', async () => {
    const out = tempDir();
    const r = await runCli([...TRANSLATE, '--out-itf', out]);
    expect(r.code).toBe(0);
    const written = r.out.split('\n').filter((l) => l.startsWith('ITF trace written: ')).map((l) => l.slice('ITF trace written: '.length));
    expect(written).toHaveLength(2);
    for (const f of written) {
      expect(existsSync(f)).toBe(true);
      expect(replayFile(f).status).toBe('reproduced');
    }
  });
});

describe('runFuzz stopping early', () => {
  it('stops at the first chunk once asked, marks the campaign interrupted, lists the campaigns not run', async () => {
    // One invariant the defaults hold (level 3, which they break, would go on to shrink).
    const opts = parseFuzzArgs(['--design', 'xen-map-for-dma', '--invariant', 'no-foreign-reach', '--time', '60']);
    let progress = 0;
    const report = await runFuzz(opts, {
      onProgress: () => void (progress += 1),
      shouldStop: () => progress > 0,
    });
    expect(progress).toBe(1);
    expect(report.campaigns).toHaveLength(1);
    expect(report.campaigns[0].interrupted).toBe(true);
    expect(report.notRun).toEqual(['xen-map-for-dma [checkTarget=false]', 'xen-map-for-dma [checkCollision=false]', 'xen-map-for-dma [getPageFirst=true]', 'xen-map-for-dma [iotlbFlush=batch]']);
  });
});
