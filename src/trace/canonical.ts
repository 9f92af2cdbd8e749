/**
 * Canonical JSON (object keys sorted, no whitespace) and short content hashes over it: the same data
 * always hashes the same, whatever order its keys were built in. Used for design digests and for the
 * corpus's de-duplication key.
 */
import { createHash } from 'node:crypto';

/** JSON text with object keys sorted at every level; `undefined` fields are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** The first `hexChars` hex digits of the SHA-256 of `value`'s canonical JSON. */
export function shortHash(value: unknown, hexChars = 16): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, hexChars);
}
