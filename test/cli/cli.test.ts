import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseArgs, UsageError } from '../../src/cli/args.ts';
import { main } from '../../src/cli/main.ts';

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  return main(argv, (s) => void (out += s + '\n')).then((code) => {
    const e = err.mock.calls.map((c) => c.join(' ')).join('\n');
    return { code, out, err: e };
  }) as never;
}

afterEach(() => vi.restoreAllMocks());

describe('shadowcheck fuzz', () => {
  it('--json reports the translate design broken as expected, with the shrunk trace', async () => {
    const { code, out } = await run(['fuzz', '--design', 'xen-translate-gpfn', '--seed', '1', '--runs', '1000', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    const stale = report.results.find((r: { invariant: string }) => r.invariant === 'no-stale-reference');
    expect(stale).toMatchObject({ design: 'xen-translate-gpfn', verdict: 'violated', expected: 'violated', asExpected: true, runs: expect.any(Number), steps: expect.any(Number) });
    expect(stale.counterexample.length).toBeLessThanOrEqual(5);
    expect(stale.counterexample.actions[0].op).toBe('shadowSet');
    expect(stale.counterexample.witnesses[0].invariant).toBe('no-stale-reference');
    expect(stale.counterexample.reproduce).toContain('--design xen-translate-gpfn --invariant no-stale-reference --seed 1');
    const foreign = report.results.find((r: { invariant: string }) => r.invariant === 'no-foreign-reach');
    expect(foreign.verdict).toBe('violated');
  });

  it('exits 1 when a verdict is not what the design expects', async () => {
    // One run is too small a budget to find this violation, so an expected violation goes missing (its
    // hold is vacuous too when the run reached none of the design's declared situations).
    const { code, out } = await run(['fuzz', '--design', 'xen-translate-gpfn', '--invariant', 'no-xen-frame-reach', '--runs', '1', '--seed', '1', '--json']);
    const row = JSON.parse(out).results[0];
    expect(row).toMatchObject({ expected: 'violated', asExpected: false });
    expect(['holds', 'vacuous']).toContain(row.verdict);
    expect(code).toBe(1);
  });

  it('prints a table, the trace one action per line, the witness and a reproduce line', async () => {
    const r = await run(['fuzz', '--design', 'xen-map-for-dma', '--set', 'checkTarget=false', '--invariant', 'no-foreign-reach', '--seed', '1', '--runs', '300', '--show', 'all']);
    const { code } = r;
    // A long command is continued with a backslash (80 columns); joined, it is the command to paste.
    const out = r.out.replace(/ \\\n +/g, ' ');
    expect(code).toBe(0);
    expect(out).toMatch(/xen-map-for-dma\s+checkTarget=false\s+no-foreign-reach\s+security\s+VIOLATED\s+violated/);
    expect(out).toMatch(/ 1\. shadowSet client=3 /);
    expect(out).toContain('witness (no-foreign-reach): dom0 GPU (running dom3)');
    expect(out).toContain('reproduce: npx shadowcheck fuzz --design xen-map-for-dma --set checkTarget=false --invariant no-foreign-reach --seed 1 --runs 300');
  });

  it.each([
    [['fuzz', '--design', 'nope'], "unknown design 'nope' (valid: xen-translate-gpfn, xen-map-for-dma"],
    [['fuzz', '--invariant', 'nope'], "unknown invariant 'nope' (valid: type-ok, refused-op-changes-nothing, no-foreign-reach"],
    [['fuzz', '--set', 'nope=1'], "unknown knob 'nope' (knobs of the selected designs: checkTarget"],
    [['fuzz', '--set', 'checkTarget=maybe'], 'takes one of true, false, not \'maybe\''],
    [['fuzz', '--runs', 'x'], "--runs takes an integer of at least 0, not 'x'"],
    [['fuzz', '--runs', '5', '--time', '1'], 'give --runs or --time, not both'],
    [['fuzz', '--bogus'], 'unknown option --bogus'],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('%j is a usage error: exit 2 and one clear message', async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });
});

describe('shadowcheck list and help', () => {
  it('lists designs with knobs and expectations, invariants with rationale', async () => {
    const { code, out } = await run(['list']);
    expect(code).toBe(0);
    expect(out).toContain('xen-translate-gpfn');
    expect(out).toContain('knob checkTarget = true');
    expect(out).toMatch(/expected with checkTarget=false: breaks [a-z0-9-, ]*no-foreign-reach/);
    expect(out).toContain('no-stale-reference (security)');
  });

  it('--help explains the commands', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('shadowcheck fuzz');
  });
});

describe('parseArgs', () => {
  it('collects repeated list flags and typed values', () => {
    expect(parseArgs(['--design', 'a', '--design=b', '--seed', '3', '--json', 'pos'], { design: 'list', seed: 'int', json: 'bool' })).toEqual({
      flags: { design: ['a', 'b'], seed: 3, json: true },
      positional: ['pos'],
    });
  });
  it('rejects a missing value', () => {
    expect(() => parseArgs(['--seed'], { seed: 'int' })).toThrow(UsageError);
  });
});

describe('the installed bin', () => {
  it('runs the CLI through tsx and returns its exit code', () => {
    const ok = spawnSync(process.execPath, ['bin/shadowcheck.mjs', 'list'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('Designs');
    const bad = spawnSync(process.execPath, ['bin/shadowcheck.mjs', 'fuzz', '--design', 'nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown design 'nope'");
  });
});

describe('CLI conventions', () => {
  it.each(['fuzz', 'replay', 'audit', 'explain', 'list'])('%s --help prints that command\'s usage and options and exits 0', async (command) => {
    const { code, out, err } = await run([command, '--help']);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toContain(`Usage: shadowcheck ${command}`);
    expect(out).toContain('--help, -h');
    expect(out).toContain('Exit codes: 0 as expected');
    expect(out).not.toContain('(valid: )');
  });

  it('-h works like --help, also after other flags, and `help fuzz` too', async () => {
    expect((await run(['fuzz', '--seed', 'x', '-h'])).out).toContain('Usage: shadowcheck fuzz');
    expect((await run(['help', 'audit'])).out).toContain('Usage: shadowcheck audit');
  });

  it('--version prints the package version, alone or after a command', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const argv of [['--version'], ['fuzz', '--version']]) {
      const { code, out } = await run(argv);
      expect(code).toBe(0);
      expect(out.trim()).toBe(pkg.version);
    }
  });

  it.each([
    [['fuzz', '--runs', '1.5'], "--runs takes an integer of at least 0, not '1.5'"],
    [['fuzz', '--max-actions', '1001'], "--max-actions takes an integer from 0 to 1000, not '1001'"],
    [['fuzz', '--max-actions', '1e9'], "--max-actions takes an integer from 0 to 1000, not '1e9'"],
    [['fuzz', '--seed', '4294967297'], "--seed takes an integer from 0 to 4294967295, not '4294967297'"],
    [['fuzz', '--seed', '9007199254740993'], "not '9007199254740993'"],
    [['audit', 'x.json', '--runs', '1.5'], "--runs takes an integer of at least 0, not '1.5'"],
    [['fuzz', '--corpus', '--json'], "'--json' looks like an option"],
    [['explain', '--bogus'], 'unknown option --bogus (valid: --json, --html; --help for more)'],
    [['list', 'extra'], "list takes no arguments (got 'extra')"],
  ])('%j is refused in one line on stderr with exit 2', async (argv, message) => {
    const { code, out, err } = await run(argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(message);
    expect(err.split('\n')).toHaveLength(1);
  });

  it('-- ends the options: a file named like an option is a file', async () => {
    const { code, err } = await run(['replay', '--', '--no-such-entry.json']);
    expect(code).toBe(2);
    expect(err).toContain('no such file or directory: --no-such-entry.json');
  });
});

describe('text from files reaching the terminal', () => {
  it('shows escape sequences in an entry escaped, in the report and in JSON (which stays valid and equal)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-esc-'));
    const entry = JSON.parse(readFileSync('corpus/xen-translate-gpfn/no-stale-reference-f77a6261.json', 'utf8'));
    entry.design.id = 'x\u001b]0;pwned\u0007\u009b2J';
    writeFileSync(join(dir, 'e.json'), JSON.stringify(entry));
    const text = await run(['replay', dir]);
    expect(text.out).toContain("unknown design 'x\\u001b]0;pwned\\u0007\\u009b2J'");
    expect(text.out).not.toMatch(/[\u001b\u0007\u009b]/);
    const json = await run(['replay', dir, '--json']);
    expect(json.out).not.toMatch(/[\u001b\u0007\u009b]/);
    expect(JSON.parse(json.out).entries[0].reason).toBe("/design/id: unknown design 'x\u001b]0;pwned\u0007\u009b2J'");
  });

  it('explain says a bad file on stderr, in one line, not on stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-explain-'));
    writeFileSync(join(dir, 'bad.json'), '{"format":1');
    const r = await run(['explain', join(dir, 'bad.json')]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(new RegExp(`^shadowcheck: ${dir}/bad\\.json: malformed JSON at line 1, column 12: [^\\n]*$`));
  });
});
