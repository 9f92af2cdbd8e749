/**
 * docs/ci.md's GitHub Actions matrix, run locally: its shard commands (matrix expanded, a small RUNS),
 * the artifacts laid out as download-artifact does, its merge and replay commands — and the union of
 * the shards compared with one unsharded run of the same command: the same verdict rows, the same
 * corpus byte for byte, and a replay of the union that reproduces every entry.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/entries.ts';

const RUNS = '10';
const SEED = '7';

const doc = readFileSync('docs/ci.md', 'utf8');
const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)![1];

/** The `run:` commands of a job of the workflow that call shadowcheck. */
function commands(jobName: string): string[] {
  const job = new RegExp(`\\n  ${jobName}:\\n([\\s\\S]*?)(?=\\n  [a-z]+:\\n|$)`).exec(yaml)![1];
  return [...job.matchAll(/run: (npx shadowcheck .*)/g)].map((m) => m[1]);
}

/** Expand a `dir/*\/name-*` glob the way the shell would (each `*` within one path segment). */
function glob(cwd: string, pattern: string): string[] {
  let paths = [''];
  for (const seg of pattern.split('/')) {
    const re = new RegExp(`^${seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    paths = paths.flatMap((p) => {
      if (!seg.includes('*')) return [join(p, seg)];
      const dir = join(cwd, p);
      let names: string[] = [];
      try {
        names = readdirSync(dir).sort();
      } catch {
        return [];
      }
      return names.filter((n) => re.test(n)).map((n) => join(p, n));
    });
  }
  return paths.length > 0 ? paths : [pattern];
}

/** Run one workflow line in `cwd`: substitutions, quotes, a `>` redirect and globs, as a shell would. */
async function runLine(line: string, cwd: string, shard?: number): Promise<number> {
  const text = line
    .replace(/\$\{\{ matrix\.shard \}\}/g, String(shard))
    .replace(/\$\{\{ github\.run_number \}\}/g, SEED)
    .replace(/\$RUNS/g, RUNS);
  const words = text.split(/\s+/).map((w) => w.replace(/^"|"$/g, ''));
  const redirect = words.indexOf('>');
  const outFile = redirect >= 0 ? words[redirect + 1] : undefined;
  const argv = (redirect >= 0 ? words.slice(2, redirect) : words.slice(2)).flatMap((w) => (w.includes('*') ? glob(cwd, w) : [w]));
  // Paths in the workflow are relative to the job's checkout: make them relative to `cwd`.
  const inCwd = argv.map((a) => (/^(corpus-|shards\/|report-)/.test(a) ? join(cwd, a) : a));
  // In-process (no worker threads to start for each command: the test stays quick); the results are
  // the same with any number of workers (scheduler.test.ts, workers.test.ts).
  if (inCwd[0] === 'fuzz') inCwd.push('--step-timeout', '0');
  const r = await runCli(inCwd);
  if (outFile !== undefined) writeFileSync(join(cwd, outFile), r.out);
  return r.code;
}

/** Every file under `dir`, relative path → content. */
function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return new Map([...out].sort());
}

/** A verdict row without what differs between runs (nothing but the corpus file's path). */
function rowKey(r: Record<string, unknown>): string {
  const { counterexample, ...rest } = r as { counterexample?: Record<string, unknown> };
  const cx = counterexample === undefined ? undefined : { ...counterexample, corpusFile: undefined };
  return JSON.stringify({ ...rest, counterexample: cx });
}

describe('docs/ci.md: the GitHub Actions matrix, run locally', () => {
  it('the union of its four shards is the unsharded run: same verdict rows, same corpus byte for byte, and the union replays', async () => {
    const shards = /shard: \[([\d, ]+)\]/.exec(yaml)![1].split(',').map(Number);
    expect(shards).toEqual([1, 2, 3, 4]);
    const [fuzzLine] = commands('fuzz');
    expect(fuzzLine).toContain('--shard ${{ matrix.shard }}/4');
    const ci = tempDir();
    const codes: number[] = [];
    for (const shard of shards) {
      const job = tempDir();
      codes.push(await runLine(fuzzLine, job, shard));
      // upload-artifact + download-artifact: each shard's files under shards/shard-N/.
      const into = join(ci, 'shards', `shard-${shard}`);
      mkdirSync(into, { recursive: true });
      cpSync(job, into, { recursive: true });
    }
    // A small RUNS misses some expected violations (exit 1), but nothing is bad input or a crash.
    expect(codes.every((c) => c === 0 || c === 1)).toBe(true);
    const [merge, replay] = commands('merge');
    expect(await runLine(merge, ci)).toBe(0);
    expect(await runLine(replay, ci)).toBe(0);

    // The same command without --shard, on one machine.
    const whole = tempDir();
    await runLine(fuzzLine.replace(' --shard ${{ matrix.shard }}/4', ''), whole, 0);
    const wholeReport = JSON.parse(readFileSync(join(whole, 'report-0.json'), 'utf8'));
    const shardRows = shards.flatMap((k) => JSON.parse(readFileSync(join(ci, 'shards', `shard-${k}`, `report-${k}.json`), 'utf8')).results);
    expect(shardRows.map(rowKey)).toEqual(wholeReport.results.map(rowKey));
    expect(shardRows.some((r: { verdict: string }) => r.verdict === 'violated')).toBe(true);
    expect(files(join(ci, 'corpus-union'))).toEqual(files(join(whole, 'corpus-0')));
  }, 120_000);
});
