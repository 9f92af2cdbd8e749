/**
 * Deep copy of plain data. The state holds only arrays, plain objects and primitives, so a hand-written
 * walk is both correct and several times faster than `structuredClone` for the small states we copy
 * (one per fuzz run). Frozen objects are immutable values (frame owners, say) and are shared, not copied.
 */
export function clonePlain<T>(value: T): T {
  return cloneValue(value) as T;
}

/** Copy one value: primitives and frozen objects as they are, others deeply. */
function cloneValue(x: unknown): unknown {
  if (x === null || typeof x !== 'object' || Object.isFrozen(x)) return x;
  if (Array.isArray(x)) return x.map(cloneValue);
  const out: Record<string, unknown> = {};
  for (const key in x) out[key] = cloneValue((x as Record<string, unknown>)[key]);
  return out;
}
