import { describe, expect, it } from 'vitest';
import type { FlagTable } from '../../src/cli/args.ts';
import { flagHelp, parseArgs, UsageError } from '../../src/cli/args.ts';
import { SEED_FLAG } from '../../src/cli/budgetFlags.ts';

const TABLE = {
  seed: SEED_FLAG,
  runs: { kind: 'int', min: 1, value: 'N', help: 'runs' },
  time: { kind: 'number', min: 0.001, max: 60 },
  corpus: { kind: 'string', value: 'DIR', help: 'where' },
  design: 'list',
  json: { kind: 'bool', help: 'one JSON document' },
} as const satisfies FlagTable;

/** The message of the UsageError parsing `argv` throws. */
function refusal(argv: string[]): string {
  try {
    parseArgs(argv, TABLE);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`parsing ${JSON.stringify(argv)} was not refused`);
}

describe('parseArgs', () => {
  it('reads --name value, --name=value, repeated lists, booleans and positionals', () => {
    expect(parseArgs(['--design', 'a', '--design=b', '--seed', '3', '--json', 'pos', '--time=0.5'], TABLE)).toEqual({
      flags: { design: ['a', 'b'], seed: 3, json: true, time: 0.5 },
      positional: ['pos'],
    });
  });

  it('takes what follows -- as positional, even when it looks like an option', () => {
    expect(parseArgs(['--json', '--', '--seed', '-x.json'], TABLE)).toEqual({ flags: { json: true }, positional: ['--seed', '-x.json'] });
  });

  it('accepts seeds 0 and 2^32-1 (also in hex) and refuses one past, and past 2^53, without rounding', () => {
    expect(parseArgs(['--seed', '0'], TABLE).flags.seed).toBe(0);
    expect(parseArgs(['--seed', '4294967295'], TABLE).flags.seed).toBe(4294967295);
    expect(parseArgs(['--seed', '0xffffffff'], TABLE).flags.seed).toBe(4294967295);
    expect(refusal(['--seed', '4294967296'])).toBe("--seed takes an integer from 0 to 4294967295, not '4294967296'");
    expect(refusal(['--seed', '9007199254740993'])).toContain('not \'9007199254740993\'');
    expect(refusal(['--seed=-1'])).toContain("not '-1'");
    expect(refusal(['--seed', '1.5'])).toContain("not '1.5'");
    expect(refusal(['--seed', '1e3'])).toContain("not '1e3'");
    expect(refusal(['--seed', ' 7'])).toContain("not ' 7'");
  });

  it('refuses budgets that check nothing', () => {
    expect(refusal(['--runs', '0'])).toBe("--runs takes an integer of at least 1, not '0'");
    expect(refusal(['--time', '0'])).toContain('from 0.001 to 60');
    expect(refusal(['--time', 'Infinity'])).toContain("not 'Infinity'");
  });

  it('refuses a value that looks like an option, and says how to mean it', () => {
    expect(refusal(['--corpus', '--json'])).toBe("--corpus needs a value, and '--json' looks like an option (write --corpus=--json if it is meant as the value)");
    expect(parseArgs(['--corpus=--json'], TABLE).flags.corpus).toBe('--json');
    expect(parseArgs(['--corpus', '-'], TABLE).flags.corpus).toBe('-');
  });

  it('refuses unknown flags listing the valid ones, a missing value, and a value for a boolean', () => {
    expect(refusal(['--bogus'])).toBe('unknown option --bogus (valid: --seed, --runs, --time, --corpus, --design, --json; --help for more)');
    expect(refusal(['-x'])).toContain('unknown option -x');
    expect(refusal(['--seed'])).toBe('--seed needs a value (N)');
    expect(refusal(['--json=yes'])).toBe('--json takes no value');
    expect(() => parseArgs(['--x'], {})).toThrow('unknown option --x (this command takes none; --help for more)');
  });

  it('inherits nothing from Object.prototype', () => {
    expect(refusal(['--constructor', 'x'])).toContain('unknown option --constructor');
  });

  it('writes the option lines of --help from the table, aligned, leaving out flags without help', () => {
    expect(flagHelp(TABLE)).toEqual([`  --seed N      ${SEED_FLAG.help}`, '  --runs N      runs', '  --corpus DIR  where', '  --json        one JSON document']);
  });
});
