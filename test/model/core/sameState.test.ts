import { describe, expect, it } from 'vitest';
import { cloneState } from '../../../src/model/core/clone.ts';
import { knobDefaults } from '../../../src/model/core/design.ts';
import { sameState, stateDifference } from '../../../src/model/core/equal.ts';
import { DEFAULT_SCOPE } from '../../../src/model/core/scope.ts';
import type { State } from '../../../src/model/core/state.ts';
import { DESIGNS } from '../../../src/model/designs.ts';

/** A value of the same kind as `x` that differs from it. */
function other(x: unknown): unknown {
  if (typeof x === 'number') return x + 1;
  if (typeof x === 'string') return `${x}-changed`;
  if (typeof x === 'boolean') return !x;
  if (Array.isArray(x)) return [...x, null];
  return { ...(x as object), changed: true };
}

describe('sameState', () => {
  it.each(DESIGNS.map((d) => [d.id, d]))('finds %s world equal to its copy, the clock aside', (_id, design) => {
    const d = design as (typeof DESIGNS)[number];
    const s = d.buildWorld(DEFAULT_SCOPE, knobDefaults(d));
    const c = cloneState(s);
    c.clock += 5;
    expect(sameState(s, c)).toBe(true);
    expect(stateDifference(s, c)).toBeUndefined();
  });

  it.each(DESIGNS.map((d) => [d.id, d]))('sees a change to any field of a frame, a domain or a slice of %s', (_id, design) => {
    const d = design as (typeof DESIGNS)[number];
    const s = d.buildWorld(DEFAULT_SCOPE, knobDefaults(d));
    const changed = (edit: (c: State) => void) => {
      const c = cloneState(s);
      edit(c);
      return sameState(s, c);
    };
    for (const key of Object.keys(s.frames[0])) {
      expect(changed((c) => void ((c.frames[0] as unknown as Record<string, unknown>)[key] = other((c.frames[0] as unknown as Record<string, unknown>)[key]))), `frame.${key}`).toBe(false);
    }
    for (const key of Object.keys(s.domains[1])) {
      expect(changed((c) => void ((c.domains[1] as unknown as Record<string, unknown>)[key] = other((c.domains[1] as unknown as Record<string, unknown>)[key]))), `domain.${key}`).toBe(false);
    }
    for (const key of Object.keys(s)) {
      if (key === 'clock' || key === 'frames' || key === 'domains') continue;
      expect(changed((c) => void ((c as unknown as Record<string, unknown>)[key] = other((c as unknown as Record<string, unknown>)[key]))), key).toBe(false);
    }
    expect(changed((c) => void (c.domains[1].p2m[0] = { ...c.domains[1].p2m[0]!, gen: 99 })), 'a replaced p2m entry').toBe(false);
    expect(changed((c) => void (c.domains[1].grants[0] = { grantee: 2, gfn: 0, readonly: false, maps: 0, pin: { hostRw: 0, hostRo: 0, devRw: 0, devRo: 0 }, mfn: -1 })), 'a grant').toBe(false);
    expect(changed((c) => void ((c as unknown as Record<string, unknown>).extra = 1)), 'a new slice').toBe(false);
  });
});
