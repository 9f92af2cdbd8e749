import { spawnSync } from 'node:child_process';
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
    // One run is too small a budget to find this violation, so an expected violation goes missing.
    const { code, out } = await run(['fuzz', '--design', 'xen-translate-gpfn', '--invariant', 'no-xen-frame-reach', '--runs', '1', '--seed', '1', '--json']);
    expect(JSON.parse(out).results[0]).toMatchObject({ verdict: 'holds', expected: 'violated', asExpected: false });
    expect(code).toBe(1);
  });

  it('prints a table, the trace one action per line, the witness and a reproduce line', async () => {
    const { code, out } = await run(['fuzz', '--design', 'xen-map-for-dma', '--set', 'checkTarget=false', '--invariant', 'no-foreign-reach', '--seed', '1', '--runs', '300']);
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
    [['fuzz', '--runs', 'x'], '--runs takes a non-negative integer'],
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
    expect(out).toContain('expected with checkTarget=false: breaks no-foreign-reach');
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
