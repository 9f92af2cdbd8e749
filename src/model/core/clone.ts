/**
 * Copying states. A run starts from a copy of the design's world and transition invariants compare a
 * copy of the state before a step with the state after it, so copying is on the hot path (it was a
 * fifth of a campaign's time). Frozen objects are immutable values (frame owners, say) and are shared,
 * not copied.
 */
import type { Domain, Frame, State } from './state.ts';

/** Deep copy of any plain data (arrays, plain objects, primitives). */
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

/** A frame's fields are numbers, strings and a frozen owner: a spread copies it (V8's fast path). */
function cloneFrame(f: Frame): Frame {
  return { ...f };
}

/**
 * A domain: its scalars by spread, its tables slot by slot. p2m and IOMMU entries are values — an
 * operation replaces an entry, never edits one (test/model/entriesImmutable.test.ts holds every design
 * to that) — so the copied tables share them.
 */
function cloneDomain(d: Domain): Domain {
  return {
    ...d,
    p2m: d.p2m.slice(),
    iommu: d.iommu.slice(),
    targets: d.targets.slice(),
    grants: d.grants.map(cloneValue) as Domain['grants'],
    maptrack: d.maptrack.map(cloneValue) as Domain['maptrack'],
  };
}

/**
 * Deep copy of a state: frames and domains by their known shapes (several times faster than the
 * generic walk), every other slice generically. test/model/core/clone.test.ts checks, for every design's
 * world and states reached from it, that the copy is equal and shares nothing mutable — so a field
 * added to Frame or Domain that needs a deep copy is caught there.
 */
export function cloneState(s: State): State {
  const out = { ...s, frames: s.frames.map(cloneFrame), domains: s.domains.map(cloneDomain) } as State;
  const rest = out as unknown as Record<string, unknown>;
  for (const key in s) {
    if (key !== 'frames' && key !== 'domains') rest[key] = cloneValue((s as unknown as Record<string, unknown>)[key]);
  }
  return out;
}
