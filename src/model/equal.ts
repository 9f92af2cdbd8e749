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
  return firstDifference({ ...before, clock: 0 }, { ...after, clock: 0 });
}
