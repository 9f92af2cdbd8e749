/**
 * A small, typed command-line parser: flags are declared with their kind, repeated flags collect into
 * lists, and anything unknown or malformed is a `UsageError` (exit code 2) that says what was wrong.
 */

/** A usage or input error: reported in one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** How a flag takes its value. */
export type FlagKind = 'bool' | 'string' | 'int' | 'number' | 'list';

/** Parsed flags and positional arguments. */
export interface Parsed {
  flags: Record<string, string | number | boolean | string[]>;
  positional: string[];
}

/** Parse `argv` against declared flags (`{ seed: 'int', design: 'list', json: 'bool' }`). */
export function parseArgs(argv: readonly string[], spec: Record<string, FlagKind>): Parsed {
  const flags: Parsed['flags'] = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (kind === undefined) throw new UsageError(`unknown option --${name} (valid: ${Object.keys(spec).map((k) => `--${k}`).join(', ')})`);
    if (kind === 'bool') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (kind === 'list') {
      const list = (flags[name] as string[] | undefined) ?? [];
      list.push(value);
      flags[name] = list;
    } else if (kind === 'int' || kind === 'number') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n) || (kind === 'int' && !Number.isInteger(n)) || n < 0) {
        throw new UsageError(`--${name} takes a non-negative ${kind === 'int' ? 'integer' : 'number'}, not '${value}'`);
      }
      flags[name] = n;
    } else {
      flags[name] = value;
    }
  }
  return { flags, positional };
}
