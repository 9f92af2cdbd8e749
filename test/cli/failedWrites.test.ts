import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_IO } from '../../src/cli/exitCodes.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/entries.ts';

/** A regular file: any path through it fails with ENOTDIR. */
function aFile(): string {
  const f = join(tempDir(), 'plain-file');
  writeFileSync(f, 'not a directory\n');
  return f;
}

const TWO_DESIGNS = ['--design', 'xen-translate-gpfn', '--design', 'xen-map-for-dma', '--invariant', 'no-foreign-reach', '--invariant', 'no-stale-reference', '--seed', '1', '--runs', '300'];

describe('a write that fails', () => {
  it('fuzz --save: one line per file naming path and errno, every campaign still runs, the report prints, unsaved files listed, exit 3', async () => {
    const corpus = aFile();
    const r = await runCli(['fuzz', ...TWO_DESIGNS, '--save', '--corpus', corpus]);
    expect(r.code).toBe(EXIT_IO);
    const lines = r.err.split('\n');
    const failures = lines.filter((l) => l.startsWith('shadowcheck: cannot write '));
    expect(failures.length).toBeGreaterThanOrEqual(3);
    for (const l of failures) expect(l).toMatch(new RegExp(`^shadowcheck: cannot write ${corpus}/xen-[a-z-]+/[a-zA-Z.=-]+-[0-9a-f]{8}\\.json: ENOTDIR \\(a part of the path is not a directory\\)$`));
    expect(lines).toContain(`shadowcheck: ${failures.length} counterexample files not written:`);
    // Both designs' campaigns ran and are in the report, with their reproduce lines.
    expect(r.out).toContain('xen-translate-gpfn');
    expect(r.out).toContain('xen-map-for-dma');
    expect(r.out).toContain('reproduce: npx shadowcheck fuzz --design xen-translate-gpfn');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('fuzz --out-itf onto a directory: EISDIR named, exit 3, report printed', async () => {
    const target = join(tempDir(), 'trace.json');
    mkdirSync(target);
    const r = await runCli(['fuzz', '--design', 'xen-translate-gpfn', '--no-variants', '--invariant', 'no-stale-reference', '--seed', '1', '--runs', '300', '--out-itf', target]);
    expect(r.err).toContain(`shadowcheck: cannot write ${target}: EISDIR (is a directory)`);
    expect(r.out).toContain('no-stale-reference');
    expect(r.code).toBe(EXIT_IO);
  });

  it('audit --junit through a file: ENOTDIR named, the audit report still printed, exit 3', async () => {
    const junit = join(aFile(), 'x.xml');
    const r = await runCli(['audit', 'examples/map-any-domain.json', '--runs', '50', '--junit', junit]);
    expect(r.err.split('\n')[0]).toBe(`shadowcheck: cannot write ${junit}: ENOTDIR (a part of the path is not a directory)`);
    expect(r.out).toContain('map-any-domain');
    expect(r.code).toBe(EXIT_IO);
  });

  it('replay --out-itf through a file: each trace that could not be written is named, every entry still reported, exit 3', async () => {
    const out = join(aFile(), 'itf');
    const r = await runCli(['replay', 'corpus/xen-translate-gpfn', '--out-itf', out]);
    expect(r.out).toMatch(/\d+ reproduced, 0 no longer reproduce, 0 stale, 0 bad input/);
    expect(r.err).toContain(`shadowcheck: cannot write ${out}: ENOTDIR`);
    expect(r.code).toBe(EXIT_IO);
  });
});
