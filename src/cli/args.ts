/**
 * The command-line parser: a small declarative layer over node's `util.parseArgs`. Each command
 * declares its flags once — kind, range, value name, one line of help — and gets back typed values,
 * range checks, and the option lines of its `--help`, so adding a flag is one entry in one table.
 *
 * @example
 * ```ts
 * export const FUZZ_FLAGS = {
 *   seed: { kind: 'int', min: 0, max: SEED_MAX, value: 'N', help: 'seed of the campaigns (default 1)' },
 *   design: { kind: 'list', value: 'ID', help: 'a design to fuzz (repeatable; default all)' },
 *   json: { kind: 'bool', help: 'print one JSON document instead of the report' },
 *   corpus: 'string', // a bare kind is allowed too: no range, no help line
 * } as const satisfies FlagTable;
 * const { flags, positional } = parseArgs(argv, FUZZ_FLAGS); // flags.seed is a number in [0, SEED_MAX]
 * const lines = flagHelp(FUZZ_FLAGS); // ["  --seed N  seed of the campaigns (default 1)", ...]
 * ```
 *
 * Conventions every command gets: `--name value` and `--name=value`; `--` ends the options (what
 * follows is positional even if it starts with a dash); a value that looks like an option
 * (`--corpus --json`) is refused — write `--corpus=--json` if that is really meant; numbers are
 * decimal (or `0x` hex) integers, checked against the declared range, never rounded. `--help`, `-h`
 * and `--version` are handled by `main` before a command parses, so no table declares them.
 * Every problem is a {@link UsageError}: one line on stderr, exit code 2.
 */
import { parseArgs as nodeParseArgs } from 'node:util';

/** A usage or input error: reported in one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * How a flag takes its value: `bool` none; `string` one text; `list` repeatable text, collected in
 * order; `int` an integer; `number` a finite decimal number.
 */
export type FlagKind = 'bool' | 'string' | 'int' | 'number' | 'list';

/** A flag declared in full. Numbers default to the range [0, Number.MAX_SAFE_INTEGER]. */
export interface FlagSpec {
  kind: FlagKind;
  /** Smallest value accepted (`int`, `number`). */
  min?: number;
  /** Largest value accepted (`int`, `number`). */
  max?: number;
  /** The value's name in help (`N`, `DIR`, `knob=value`). */
  value?: string;
  /** One line for the command's `--help`. */
  help?: string;
}

/** A command's flags by name (without the leading `--`). */
export type FlagTable = Readonly<Record<string, FlagKind | FlagSpec>>;

/** Parsed flags and positional arguments. */
export interface Parsed {
  flags: Record<string, string | number | boolean | string[]>;
  positional: string[];
}

/** The full spec of a table entry. */
export function specOf(entry: FlagKind | FlagSpec): FlagSpec {
  return typeof entry === 'string' ? { kind: entry } : entry;
}

/** An integer as the user wrote it: decimal digits or `0x` hex, nothing that would be rounded. */
const INTEGER = /^(?:0|[1-9][0-9]*|0[xX][0-9a-fA-F]+)$/;
/** A plain decimal number (no exponent, no Infinity, no sign: every numeric flag is a size or a time). */
const DECIMAL = /^(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)$/;

/** "from 0 to 4294967295", "of at least 1". */
function rangeText(min: number, max: number): string {
  return max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
}

/** Check and convert a numeric flag's text. */
function numberValue(name: string, spec: FlagSpec, text: string): number {
  const min = spec.min ?? 0;
  const max = spec.max ?? Number.MAX_SAFE_INTEGER;
  const what = spec.kind === 'int' ? 'an integer' : 'a number';
  const ok = spec.kind === 'int' ? INTEGER.test(text) : DECIMAL.test(text);
  const n = ok ? Number(text) : NaN;
  // Past 2^53 a JavaScript number no longer holds every integer: refuse rather than round.
  if (!ok || !Number.isFinite(n) || (spec.kind === 'int' && !Number.isSafeInteger(n)) || n < min || n > max) {
    throw new UsageError(`--${name} takes ${what} ${rangeText(min, max)}, not '${text}'`);
  }
  return n;
}

/**
 * Parse `argv` against a flag table. Throws {@link UsageError} on an unknown flag, a missing or
 * option-like value, a value given to a boolean, or a number out of range.
 */
export function parseArgs(argv: readonly string[], table: FlagTable): Parsed {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, entry] of Object.entries(table)) options[name] = { type: specOf(entry).kind === 'bool' ? 'boolean' : 'string' };
  // Non-strict: node then reports every token and leaves judging them to us, so each problem gets
  // a message in our words (and the list of valid flags) instead of node's generic one.
  const { tokens } = nodeParseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const flags: Parsed['flags'] = {};
  const positional: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positional.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const entry = Object.hasOwn(table, token.name) ? table[token.name] : undefined;
    if (entry === undefined) {
      const valid = Object.keys(table).map((k) => `--${k}`);
      throw new UsageError(`unknown option ${token.rawName} (${valid.length > 0 ? `valid: ${valid.join(', ')}` : 'this command takes none'}; --help for more)`);
    }
    const spec = specOf(entry);
    const name = token.name;
    if (spec.kind === 'bool') {
      if (token.value !== undefined) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = token.value;
    if (value === undefined) throw new UsageError(`--${name} needs a value${spec.value !== undefined ? ` (${spec.value})` : ''}`);
    if (!token.inlineValue && value.length > 1 && value.startsWith('-')) {
      throw new UsageError(`--${name} needs a value, and '${value}' looks like an option (write --${name}=${value} if it is meant as the value)`);
    }
    if (spec.kind === 'list') {
      const list = (flags[name] as string[] | undefined) ?? [];
      list.push(value);
      flags[name] = list;
    } else if (spec.kind === 'int' || spec.kind === 'number') {
      flags[name] = numberValue(name, spec, value);
    } else {
      flags[name] = value;
    }
  }
  return { flags, positional };
}

/** The option lines of a command's `--help`, from its table (entries without help are left out). */
export function flagHelp(table: FlagTable): string[] {
  const rows = Object.entries(table)
    .map(([name, entry]) => ({ name, spec: specOf(entry) }))
    .filter((r) => r.spec.help !== undefined)
    .map((r) => ({ left: `--${r.name}${r.spec.value !== undefined ? ` ${r.spec.value}` : ''}`, help: r.spec.help! }));
  const width = Math.max(0, ...rows.map((r) => r.left.length));
  return rows.map((r) => `  ${r.left.padEnd(width)}  ${r.help}`);
}
