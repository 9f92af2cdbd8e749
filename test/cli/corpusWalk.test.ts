import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { listEntryFiles } from '../../src/trace/corpusLoad.ts';

afterEach(() => vi.restoreAllMocks());

/** Run the CLI in-process; stdout and stderr captured. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  const code = await main(argv, (s) => void (out += s + '\n'));
  return { code, out, err: err.mock.calls.map((c) => c.join(' ')).join('\n') };
}

/** A copy of the committed corpus with every kind of odd path beside the good entries. */
function oddCorpus(): { dir: string; good: number } {
  const dir = mkdtempSync(join(tmpdir(), 'sc-walk-'));
  cpSync('corpus', dir, { recursive: true });
  const good = listEntryFiles([dir]).files.length;
  symlinkSync('nowhere.json', join(dir, 'dangling.json'));
  symlinkSync('loop-b.json', join(dir, 'loop-a.json'));
  symlinkSync('loop-a.json', join(dir, 'loop-b.json'));
  symlinkSync('.', join(dir, 'again'));
  mkdirSync(join(dir, 'sub'));
  symlinkSync('..', join(dir, 'sub', 'up'));
  // A name that is not UTF-8: 0xff never occurs in UTF-8.
  writeFileSync(Buffer.concat([Buffer.from(join(dir, 'latin1-')), Buffer.from([0xe9, 0xff]), Buffer.from('.json')]), '{}');
  return { dir, good };
}

describe('walking a corpus with odd paths', () => {
  it('reports each odd path as bad input for that path alone and still replays every good entry', async () => {
    const { dir, good } = oddCorpus();
    expect(good).toBeGreaterThanOrEqual(50);
    const { code, out, err } = await run(['replay', dir, '--json']);
    expect(err).toBe('');
    const report = JSON.parse(out) as { entries: { file: string; status: string; reason: string }[]; counts: Record<string, number> };
    expect(report.counts.reproduced).toBe(good);
    const bad = Object.fromEntries(report.entries.filter((e) => e.status === 'bad-input').map((e) => [e.file.slice(dir.length + 1), e.reason]));
    expect(bad).toEqual({
      'dangling.json': 'dangling symbolic link to nowhere.json',
      'loop-a.json': 'symbolic link loop (ELOOP)',
      'loop-b.json': 'symbolic link loop (ELOOP)',
      again: `directory loop: the same directory as ${dir}, walked once`,
      'sub/up': `directory loop: the same directory as ${dir}, walked once`,
      'latin1-\ufffd\ufffd.json': 'file name is not valid UTF-8 (bytes 6c6174696e312de9ff2e6a736f6e); rename it',
    });
    expect(code).toBe(2);
  });

  it('audit skips the odd paths by name and still replays the good entries on both designs', async () => {
    const { dir } = oddCorpus();
    const { out } = await run(['audit', 'examples/map-any-domain.json', '--runs', '20', '--corpus', dir]);
    expect(out).toContain(`skipped corpus file ${join(dir, 'dangling.json')}: dangling symbolic link`);
    expect(out).toContain('directory loop');
  });

  it('replay of a directory with no entries is an input error, not success', async () => {
    const { code, err } = await run(['replay', mkdtempSync(join(tmpdir(), 'sc-empty-'))]);
    expect(code).toBe(2);
    expect(err).toMatch(/^shadowcheck: no entries to replay: no \*\.json file under /);
  });
});
