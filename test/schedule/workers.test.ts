/**
 * `--workers N` changes where chunks run, never what they find: the report text, the --json document
 * (but for wall-clock times) and the saved corpus are the same for 1 and 2 workers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFuzzArgs } from '../../src/cli/fuzzCommand.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/entries.ts';

/** Every file under `dir`, relative path → content. */
function files(dir: string): [string, string][] {
  const out: [string, string][] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push([relative(dir, p), readFileSync(p, 'utf8')]);
    }
  };
  walk(dir);
  return out.sort();
}

const withoutTimes = (s: string): string => JSON.stringify(JSON.parse(s), (k, v) => (k === 'elapsedMs' || k === 'msToFirstFailure' ? undefined : v));

describe('fuzz --workers', () => {
  it('1 and 2 workers: the same --json report and saved corpus, byte for byte', async () => {
    // A broken design with several invariants: a joint search, then one per invariant, each shrunk.
    // (The report text is rendered from the same report document, so it follows.)
    const argv = ['fuzz', '--design', 'kvmgt-page-track', '--no-variants', '--seed', '11', '--runs', '120', '--json', '--save'];
    const outs: { code: number; json: string; corpus: [string, string][] }[] = [];
    for (const workers of ['1', '2']) {
      const corpus = tempDir();
      const r = await runCli([...argv, '--workers', workers, '--corpus', corpus]);
      outs.push({ code: r.code, json: withoutTimes(r.out.replaceAll(corpus, 'CORPUS')), corpus: files(corpus) });
    }
    expect(outs[0].corpus.length).toBeGreaterThan(0);
    expect(JSON.parse(outs[0].json).results.some((r: { verdict: string }) => r.verdict === 'violated')).toBe(true);
    expect(outs[1]).toEqual(outs[0]);
  }, 120_000);

  it('defaults to the cores available; --step-timeout 0 (in-process) is one thread and refuses more', async () => {
    expect(parseFuzzArgs([]).workers).toBeGreaterThanOrEqual(1);
    expect(parseFuzzArgs(['--workers', '3']).workers).toBe(3);
    expect(parseFuzzArgs(['--step-timeout', '0']).workers).toBe(1);
    const r = await runCli(['fuzz', '--step-timeout', '0', '--workers', '2']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--workers needs the watchdog');
    expect((await runCli(['fuzz', '--workers', '0'])).code).toBe(2);
  });

  it('--shard is checked: k/n, 1-based', async () => {
    const r = await runCli(['fuzz', '--shard', '0/4']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('0-based, add 1');
  });
});
