/**
 * Structural comparison of plain data, for transition invariants that say an operation "changes
 * nothing". Returns where the first difference is, so the witness can say what changed.
 */
export function firstDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return path;
  if (Array.isArray(a) !== Array.isArray(b)) return path;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`);
    if (d !== undefined) return d;
  }
  return undefined;
}

/** Where two states differ, ignoring the step clock (which every step advances). */
export function stateDifference(before: object, after: object): string | undefined {
  const a = { ...before, clock: 0 };
  const b = { ...after, clock: 0 };
  // The common answer is "no difference": find that without allocating, then look for where.
  if (deepEqual(a, b)) return undefined;
  return firstDifference(a, b);
}

/** Structural equality of plain data, allocation-free. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  let count = 0;
  for (const k in a) {
    count += 1;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  for (const _ in b) count -= 1;
  return count === 0;
}
