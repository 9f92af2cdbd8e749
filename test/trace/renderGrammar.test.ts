import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../src/runner/outcome.ts';
import { witnessLines } from '../../src/trace/render.ts';

const entry = JSON.parse(readFileSync('corpus/xen-translate-gpfn/no-stale-reference-f77a6261.json', 'utf8')) as { witnesses: unknown[] };

/** A violation of no-stale-reference with `n` copies of a committed witness. */
function violation(n: number): Violation {
  return { invariant: 'no-stale-reference', witnesses: Array.from({ length: n }, () => entry.witnesses[0]) } as unknown as Violation;
}

describe('witness lines', () => {
  it('says "1 more witness", singular, and "2 more witnesses", plural', () => {
    expect(witnessLines([violation(4)]).at(-1)).toBe('  … and 1 more witness of no-stale-reference');
    expect(witnessLines([violation(5)]).at(-1)).toBe('  … and 2 more witnesses of no-stale-reference');
    expect(witnessLines([violation(3)])).toHaveLength(3);
  });
});
