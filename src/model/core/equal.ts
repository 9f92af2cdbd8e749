/**
 * Structural comparison of plain data, for transition invariants that say an operation "changes
 * nothing". Returns where the first difference is, so the witness can say what changed.
 */
import type { Domain, Frame, State } from './state.ts';
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
export function stateDifference(before: State, after: State): string | undefined {
  // The common answer is "no difference": find that fast and without allocating, then look for where.
  if (sameState(before, after)) return undefined;
  return firstDifference({ ...before, clock: 0 }, { ...after, clock: 0 });
}

/** A frame field by field: frames are the bulk of a state, and owners are frozen shared values. */
function sameFrame(f: Frame, g: Frame): boolean {
  if (f === g) return true;
  return f.gen === g.gen && f.refcount === g.refcount && (f.typeCount ?? 0) === (g.typeCount ?? 0) && f.freedAt === g.freedAt && f.kind === g.kind && (f.owner === g.owner || deepEqual(f.owner, g.owner));
}

/** A table slot by slot; p2m and IOMMU entries are values shared by a state and its copy, so identity first. */
function sameSlots(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !deepEqual(a[i], b[i])) return false;
  return true;
}

function sameDomain(d: Domain, e: Domain): boolean {
  return (
    d.id === e.id &&
    d.kind === e.kind &&
    d.state === e.state &&
    d.maxPages === e.maxPages &&
    d.totPages === e.totPages &&
    sameSlots(d.p2m, e.p2m) &&
    sameSlots(d.iommu, e.iommu) &&
    sameSlots(d.targets, e.targets) &&
    sameSlots(d.grants, e.grants) &&
    sameSlots(d.maptrack, e.maptrack)
  );
}

/**
 * Whether two states are equal, the step clock aside: frames and domains by their known shapes (the
 * way cloneState copies them, several times faster than the generic walk), every other slice
 * generically. The runner asks this after every refused step when an invariant watches every step.
 * test/model/core/sameState.test.ts changes each field of a frame and a domain in turn, so a field
 * added to either that this does not compare is caught there.
 */
export function sameState(a: State, b: State): boolean {
  if (a === b) return true;
  if (a.frames.length !== b.frames.length || a.domains.length !== b.domains.length) return false;
  for (let i = 0; i < a.frames.length; i++) if (!sameFrame(a.frames[i], b.frames[i])) return false;
  for (let i = 0; i < a.domains.length; i++) if (!sameDomain(a.domains[i], b.domains[i])) return false;
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  let count = 0;
  for (const k in x) {
    count += 1;
    if (k === 'frames' || k === 'domains' || k === 'clock') continue;
    if (!deepEqual(x[k], y[k])) return false;
  }
  for (const _ in y) count -= 1;
  return count === 0;
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
