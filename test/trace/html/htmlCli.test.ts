import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { GPU_ENTRY, STALE_ENTRY } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'shadowcheck-html-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  const code = await main(argv, (s) => void (out += `${s}\n`));
  return { code, out, err: err.mock.calls.map((c) => c.join(' ')).join('\n') };
}

/** The viewer data embedded in a written page. */
function pageData(file: string): { actions: string[]; sides: { role: string; design: string }[]; title: string } {
  const m = /<script type="application\/json" id="viewer-data">([\s\S]*?)<\/script>/.exec(readFileSync(file, 'utf8'));
  return JSON.parse(m![1]);
}

describe('--html', () => {
  it('explain --html FILE writes the page of the entry and still prints the explanation', async () => {
    const file = join(dir, 'explain', 'gpu.html');
    const { code, out, err } = await run(['explain', '--html', file, GPU_ENTRY]);
    expect(code).toBe(0);
    expect(out).toContain('explain corpus/xengt-shadow-map/');
    expect(err).toBe(`trace viewer: wrote ${file}`);
    expect(pageData(file)).toMatchObject({ title: 'gpu-reaches-only-own-vm on xengt-shadow-map', sides: [{ role: '', design: 'xengt-shadow-map' }] });
    expect(pageData(file).actions).toHaveLength(3);
  });

  it('explain --html with two entries is a usage error, and writes nothing', async () => {
    const file = join(dir, 'two.html');
    const { code, err } = await run(['explain', '--html', file, GPU_ENTRY, STALE_ENTRY]);
    expect(code).toBe(2);
    expect(err).toContain('explain --html writes one page, for one entry; got 2 files');
    expect(existsSync(file)).toBe(false);
  });

  it('a page that cannot be written is one line naming the path and errno, exit 3, the text still printed', async () => {
    const notADir = join(dir, 'plain-file');
    writeFileSync(notADir, 'x');
    const file = join(notADir, 'page.html');
    const { code, out, err } = await run(['explain', '--html', file, STALE_ENTRY]);
    expect(code).toBe(3);
    expect(out).toContain('witness (no-stale-reference)');
    expect(err.split('\n')).toEqual([expect.stringMatching(new RegExp(`^shadowcheck: cannot write ${file}: (ENOTDIR|EEXIST)`))]);
  });

  it('an entry that is not valid is bad input (exit 2, one line naming it) and gets no page', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format": 1}');
    const file = join(dir, 'bad.html');
    const { code, err } = await run(['explain', '--html', file, bad]);
    expect(code).toBe(2);
    expect(err.split('\n')).toEqual([expect.stringContaining(`shadowcheck: ${bad}:`)]);
    expect(existsSync(file)).toBe(false);
  });

  it('fuzz --html DIR writes one page per counterexample, named like its corpus entry', async () => {
    const out = join(dir, 'fuzz');
    const { code, err } = await run(['fuzz', '--design', 'xen-translate-gpfn', '--no-variants', '--invariant', 'no-stale-reference', '--invariant', 'no-foreign-reach', '--seed', '1', '--runs', '1000', '--html', out]);
    expect(code).toBe(0);
    const pages = readdirSync(join(out, 'xen-translate-gpfn')).sort();
    expect(pages).toHaveLength(2);
    expect(pages.every((p) => /^[a-z-]+-[0-9a-f]{8}\.html$/.test(p))).toBe(true);
    expect(pages.some((p) => p.startsWith('no-stale-reference-'))).toBe(true);
    expect(err).toContain(`trace viewer: wrote ${pages.length} pages`);
  });

  it('audit --html DIR writes a page per counterexample with the baseline and candidate side by side', async () => {
    const out = join(dir, 'audit');
    const { code, err } = await run(['audit', 'examples/map-any-domain.json', '--seed', '1', '--runs', '100', '--corpus', STALE_ENTRY, '--html', out]);
    expect(code).toBe(1);
    const file = join(out, 'map-any-domain-vs-xen-map-for-dma', 'no-foreign-reach.html');
    expect(err).toContain(file);
    const data = pageData(file);
    expect(data.sides.map((s) => `${s.role} ${s.design}`)).toEqual(['baseline xen-map-for-dma', 'candidate map-any-domain']);
  });
});
