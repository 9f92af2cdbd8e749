/**
 * `--junit` for fuzz and replay (audit's is in test/audit), and GitHub Actions annotations, from the
 * real commands.
 */
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { annotationLine } from '../../src/cli/annotations.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/entries.ts';
import { xmlProblem } from '../helpers/xmlWellFormed.ts';

const TRANSLATE = ['fuzz', '--design', 'xen-translate-gpfn', '--invariant', 'no-stale-reference', '--invariant', 'no-foreign-reach', '--no-variants'];
const ENTRY_DIR = 'corpus/xen-translate-gpfn';
const ENTRY = join(ENTRY_DIR, readdirSync(ENTRY_DIR).sort()[0]);

/** The bad file's name: control characters (an escape sequence that would set a terminal's title) reach the messages. */
const BAD = 'bad\u001b]0;title\u0007.json';

/** A corpus holding one good entry and one file that is bad input, named with control characters. */
function mixedCorpus(): string {
  const dir = tempDir();
  copyFileSync(ENTRY, join(dir, 'good.json'));
  writeFileSync(join(dir, BAD), '{"format": 1');
  return dir;
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('fuzz --junit', () => {
  it('a passing case per invariant with the trace and reproduce line in system-out, times and properties', async () => {
    const file = join(tempDir(), 'fuzz.xml');
    const r = await runCli([...TRANSLATE, '--runs', '300', '--junit', file]);
    expect(r.code).toBe(0);
    const xml = readFileSync(file, 'utf8');
    expect(xmlProblem(xml)).toBeUndefined();
    expect(xml).toMatch(/<testsuite name="xen-translate-gpfn" tests="2" failures="0" errors="0" skipped="0" time="\d+\.\d{3}">/);
    for (const p of ['seed" value="1"', 'design" value="xen-translate-gpfn"', 'budget" value="300 runs"', 'knobs" value="defaults"']) expect(xml).toContain(`<property name="${p}/>`);
    expect(xml).toMatch(/<system-out>violated \(expected violated: [^<]*\n[^<]*reproduce: npx shadowcheck fuzz --design xen-translate-gpfn --invariant no-stale-reference --seed \d+ --runs 300/);
  });

  it('fails a case whose verdict is not as expected, saying why', async () => {
    const file = join(tempDir(), 'fuzz.xml');
    const r = await runCli([...TRANSLATE, '--runs', '1', '--junit', file]);
    expect(r.code).toBe(1);
    const xml = readFileSync(file, 'utf8');
    expect(xmlProblem(xml)).toBeUndefined();
    expect(xml).toMatch(/<failure type="expected-violation-not-found" message="no-stale-reference held; xen-translate-gpfn is expected to violate it/);
  });
});

describe('replay --junit', () => {
  it('a case per entry: the good one passes with its seed and knobs, the bad file is an error, and the XML stays well-formed', async () => {
    const file = join(tempDir(), 'replay.xml');
    const r = await runCli(['replay', mixedCorpus(), '--junit', file]);
    expect(r.code).toBe(2);
    const xml = readFileSync(file, 'utf8');
    expect(xmlProblem(xml)).toBeUndefined();
    expect(xml).toMatch(/<testsuites name="shadowcheck replay \(2 entries\)" tests="2" failures="0" errors="1" time="\d+\.\d{3}">/);
    expect(xml).toMatch(/<testcase name="[^"]*good\.json" classname="xen-translate-gpfn" time="\d+\.\d{3}">/);
    expect(xml).toMatch(/<property name="seed" value="\d+"\/>/);
    expect(xml).toMatch(/<error type="bad-input" message="[^"]*bad\\u001b\]0;title\\u0007\.json: /);
    expect(xml).toMatch(/reproduce: npx shadowcheck replay \S*good\.json/);
  });
});

describe('GitHub Actions annotations', () => {
  it('escape what would end the message or a property', () => {
    expect(annotationLine({ level: 'error', file: 'a,b:c.json', title: 'x: y, z', message: '100% bad\nsecond line' })).toBe('::error file=a%2Cb%3Ac.json,title=x%3A y%2C z::100%25 bad%0Asecond line');
  });

  it('replay: one ::error per entry that did not reproduce, naming its file, only when GITHUB_ACTIONS is true', async () => {
    const dir = mixedCorpus();
    const plain = await runCli(['replay', dir]);
    expect(plain.out).not.toContain('::error');
    vi.stubEnv('GITHUB_ACTIONS', 'true');
    const r = await runCli(['replay', dir]);
    const lines = r.out.split('\n').filter((l) => l.startsWith('::'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^::error file=\S*bad\S*\.json,title=bad input::/);
  });

  it('fuzz: an annotation per unexpected verdict, on stderr when stdout is JSON', async () => {
    vi.stubEnv('GITHUB_ACTIONS', 'true');
    const err: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
    const r = await runCli([...TRANSLATE, '--runs', '1', '--json']);
    expect(r.code).toBe(1);
    expect(() => JSON.parse(r.out)).not.toThrow();
    const lines = err.join('').split('\n').filter((l) => l.startsWith('::error'));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    // One run misses the violation; its hold is vacuous when it reached none of the declared situations.
    expect(lines[0]).toMatch(/^::error title=xen-translate-gpfn · no-\S+%3A (HOLDS%2C not as expected::held in 1 runs; expected violated|VACUOUS%2C not as expected::held in 1 runs without reaching a situation the design declares \(vacuous\); expected violated)/);
  });

  it('audit: an annotation per invariant newly broken, on the design file', async () => {
    vi.stubEnv('GITHUB_ACTIONS', 'true');
    const r = await runCli(['audit', 'examples/map-any-domain.json', '--runs', '200']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^::error file=examples\/map-any-domain\.json,title=[^:]*no-foreign-reach%3A newly broken \(against xen-map-for-dma\)::/m);
  });
});
