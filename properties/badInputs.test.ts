/**
 * Fuzzing our own inputs: committed corpus entries, an ITF trace shadowcheck wrote and a knob file,
 * mutated — truncated, bytes flipped, fields deleted or retyped, numbers made huge, values nested
 * deep, files given odd names — and fed to `replay`, `explain` and `audit` through the CLI's own
 * `main()`. Whatever the file holds: no exception escapes, the exit code is a documented one (and not
 * the internal-error one), the report or the one-line message names the file, nothing unprintable
 * reaches the terminal, and the untouched entry beside it still replays.
 *
 * Fixed seeds and run counts, so a failure here is the same failure on every machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DOCUMENTED_EXIT_CODES, EXIT_INTERNAL, EXIT_USAGE } from '../src/cli/exitCodes.ts';
import { main } from '../src/cli/main.ts';
import { printableLine } from '../src/cli/printable.ts';
import { listEntryFiles } from '../src/trace/corpusLoad.ts';

afterEach(() => vi.restoreAllMocks());

/** Run the CLI in-process, capturing stdout and stderr. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((s: unknown) => void err.push(String(s)));
  try {
    const code = await main(argv, (s) => void out.push(s));
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

/** One committed entry per design: the inputs to mutate, and the untouched neighbours. */
const ENTRIES = (() => {
  const byDesign = new Map<string, string>();
  for (const f of listEntryFiles(['corpus']).files) {
    const design = f.split('/')[1];
    if (!byDesign.has(design)) byDesign.set(design, f);
  }
  return [...byDesign.values()];
})();

/** Raw control and escape characters: what must never reach a terminal from a file. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** File names a user (or an attacker) might give an entry. */
const NAMES = fc.constantFrom(
  'entry.json',
  '-starts-with-a-dash.json',
  '--help.json',
  'with space.json',
  'ünïcödé-名前.json',
  'title-\u001b]0;pwned\u0007.json',
  'csi-\u009b31m.json',
  'new\nline.json',
  'bidi-\u202eNOSJ.json',
);

/** Values a field may be retyped to. */
const RETYPED = fc.constantFrom<unknown>(null, true, 'x', '', [], {}, 0, -1, 1.5, 2 ** 53 + 2, 1e308, -1e308, '\u001b]0;pwned\u0007', { op: 'x' }, [1, 'a', null]);
/** Numbers far outside any size. */
const HUGE = fc.constantFrom(1e8, 2 ** 32, 2 ** 53, 1e308, -1, -1e308, 4097, 1001);

/** A mutation of a JSON file's text. */
type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'delete'; node: number }
  | { kind: 'retype'; node: number; value: unknown }
  | { kind: 'huge'; node: number; value: number }
  | { kind: 'deep'; node: number; depth: number };

const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('delete' as const), node: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), node: fc.nat(), value: RETYPED }),
  fc.record({ kind: fc.constant('huge' as const), node: fc.nat(), value: HUGE }),
  fc.record({ kind: fc.constant('deep' as const), node: fc.nat(), depth: fc.constantFrom(65, 1000, 100_000) }),
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every (parent, key) in a JSON value, in document order: the places a mutation can hit. */
function places(root: Json): { parent: Json[] | { [k: string]: Json }; key: string | number }[] {
  const out: { parent: Json[] | { [k: string]: Json }; key: string | number }[] = [];
  const visit = (v: Json): void => {
    if (Array.isArray(v)) v.forEach((c, i) => (out.push({ parent: v, key: i }), visit(c)));
    else if (v !== null && typeof v === 'object') for (const [k, c] of Object.entries(v)) out.push({ parent: v, key: k }), visit(c);
  };
  visit(root);
  return out;
}

/** Apply a mutation to a file's bytes. */
function mutate(text: string, m: Mutation): Buffer {
  const bytes = Buffer.from(text);
  if (m.kind === 'truncate') return bytes.subarray(0, m.at % bytes.length);
  if (m.kind === 'flip') {
    const copy = Buffer.from(bytes);
    copy[m.at % copy.length] ^= 1 << m.bit;
    return copy;
  }
  const root = JSON.parse(text) as Json;
  const all = places(root);
  const p = all[m.node % all.length];
  const set = (v: Json): void => {
    (p.parent as Record<string | number, Json>)[p.key] = v;
  };
  if (m.kind === 'delete') {
    if (Array.isArray(p.parent)) p.parent.splice(p.key as number, 1);
    else delete p.parent[p.key as string];
  } else if (m.kind === 'retype') set(m.value as Json);
  else if (m.kind === 'huge') set(m.value);
  else {
    // Written as text: building the value itself would be as deep as what we test.
    set('@@DEEP@@');
    return Buffer.from(JSON.stringify(root).replace('"@@DEEP@@"', '['.repeat(m.depth) + ']'.repeat(m.depth)));
  }
  return Buffer.from(JSON.stringify(root, null, 1));
}

/** What every command must satisfy whatever the file held. */
function expectWellBehaved(r: { code: number; out: string; err: string }): void {
  expect(DOCUMENTED_EXIT_CODES).toContain(r.code);
  expect(r.code).not.toBe(EXIT_INTERNAL);
  expect(r.out).not.toMatch(RAW_CONTROL);
  expect(r.err).not.toMatch(RAW_CONTROL);
  // Errors are one line each, from shadowcheck, never a stack trace.
  for (const line of r.err.split('\n').filter((l) => l !== '')) expect(line).toMatch(/^shadowcheck: |^ {2}/);
  expect(r.err).not.toMatch(/\n\s+at /);
}

let itfText = '';

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-itf-'));
  const r = await cli(['replay', ENTRIES[0], '--out-itf', join(dir, 'trace.json')]);
  expect(r.code).toBe(0);
  itfText = readFileSync(join(dir, 'trace.json'), 'utf8');
});

describe('mutated corpus entries and ITF traces', () => {
  it('replay: documented exit code, the file named in the report, the untouched entry still reproduces', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.boolean(), MUTATION, NAMES, async (pick, itf, m, name) => {
        const source = itf ? itfText : readFileSync(ENTRIES[pick % ENTRIES.length], 'utf8');
        const dir = mkdtempSync(join(tmpdir(), 'sc-bad-'));
        const bad = join(dir, name);
        writeFileSync(bad, mutate(source, m));
        const good = join(dir, 'zz-untouched.json');
        writeFileSync(good, readFileSync(ENTRIES[(pick + 1) % ENTRIES.length]));

        const json = await cli(['replay', '--json', '--', dir]);
        expectWellBehaved(json);
        const report = JSON.parse(json.out) as { entries: { file: string; status: string; reason: string }[] };
        expect(report.entries.find((e) => e.file === good)?.status).toBe('reproduced');
        const mine = report.entries.find((e) => e.file === bad);
        expect(mine).toBeDefined();
        if (mine!.status === 'bad-input') {
          expect(mine!.reason).not.toBe('');
          expect(json.code).toBe(EXIT_USAGE);
        }

        const text = await cli(['replay', dir]);
        expectWellBehaved(text);
        expect(text.code).toBe(json.code);
        // The file is named, its unprintable characters shown escaped.
        expect(text.out).toContain(printableLine(bad));
      }),
      { seed: 15, numRuns: 40 },
    );
  });

  it('explain: documented exit code; a bad file is named on stderr', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), MUTATION, NAMES, async (pick, m, name) => {
        const dir = mkdtempSync(join(tmpdir(), 'sc-explain-'));
        const bad = join(dir, name);
        writeFileSync(bad, mutate(readFileSync(ENTRIES[pick % ENTRIES.length], 'utf8'), m));
        const r = await cli(['explain', '--', bad]);
        expectWellBehaved(r);
        if (r.code === EXIT_USAGE) expect(r.err).toContain(printableLine(`shadowcheck: ${bad}`));
      }),
      { seed: 16, numRuns: 30 },
    );
  });
});

describe('mutated knob files', () => {
  it('audit: documented exit code; bad input names the file in one line', async () => {
    const knobFile = readFileSync('examples/map-any-domain.json', 'utf8');
    const corpus = mkdtempSync(join(tmpdir(), 'sc-audit-corpus-'));
    writeFileSync(join(corpus, 'one.json'), readFileSync(ENTRIES[0]));
    await fc.assert(
      fc.asyncProperty(MUTATION, NAMES, async (m, name) => {
        const dir = mkdtempSync(join(tmpdir(), 'sc-knobs-'));
        const file = join(dir, name);
        writeFileSync(file, mutate(knobFile, m));
        const r = await cli(['audit', '--runs', '3', '--corpus', corpus, '--', file]);
        expectWellBehaved(r);
        if (r.code === EXIT_USAGE) {
          expect(r.err.split('\n')).toHaveLength(1);
          expect(r.err).toContain(printableLine(file));
        }
      }),
      { seed: 17, numRuns: 15 },
    );
  });
});

describe('a spawned process on bad files', () => {
  it('prints no stack trace and exits with a documented code: a truncated entry, a dangling link, a write through a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-spawn-'));
    writeFileSync(join(dir, 'truncated.json'), readFileSync(ENTRIES[0]).subarray(0, 100));
    writeFileSync(join(dir, 'good.json'), readFileSync(ENTRIES[1]));
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const r = spawnSync(process.execPath, ['bin/shadowcheck.mjs', 'replay', dir, '--out-itf', join(file, 'itf')], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).toContain(`shadowcheck: cannot write ${join(file, 'itf')}: ENOTDIR`);
    expect(r.stdout).toMatch(/1 reproduced, 0 no longer reproduce, 0 stale, 1 bad input/);
    expect(r.status).toBe(3);
  });
});
