/**
 * Campaign statistics: how often each operation was generated, enabled, applied and refused, and how
 * often each risky situation was reached. A "holds" verdict with no risky situation reached is no
 * verdict at all: these counters are the vacuity check.
 */
import type { Design } from '../model/core/design.ts';
import type { KnobValues } from '../model/core/op.ts';

/** Counters for one operation. */
export interface OpCounters {
  generated: number;
  enabled: number;
  applied: number;
  refused: number;
}

/** Counters for a campaign. */
export interface Stats {
  runs: number;
  steps: number;
  ops: Record<string, OpCounters>;
  situations: Record<string, number>;
}

/** Fresh, empty statistics. */
export function emptyStats(): Stats {
  return { runs: 0, steps: 0, ops: {}, situations: {} };
}

/** The counters of one op, created on first use. */
export function opCounters(stats: Stats, op: string): OpCounters {
  return (stats.ops[op] ??= { generated: 0, enabled: 0, applied: 0, refused: 0 });
}

/** Add `from` into `into`. */
export function mergeStats(into: Stats, from: Stats): void {
  into.runs += from.runs;
  into.steps += from.steps;
  for (const [op, c] of Object.entries(from.ops)) {
    const t = opCounters(into, op);
    t.generated += c.generated;
    t.enabled += c.enabled;
    t.applied += c.applied;
    t.refused += c.refused;
  }
  for (const [s, n] of Object.entries(from.situations)) into.situations[s] = (into.situations[s] ?? 0) + n;
}

/**
 * The risky situations a design declares a sound verdict must have reached (its `sometimes`, for
 * these knob values): Stateright's "sometimes" properties, applied to the counters above.
 */
export function declaredSituations(design: Design, knobs: KnobValues): readonly string[] {
  return design.sometimes?.(knobs) ?? [];
}

/** The declared situations that `reached` (situation → count) never counted, in declaration order. */
export function unreachedSituations(declared: readonly string[], reached: Readonly<Record<string, number>>): string[] {
  return declared.filter((s) => (reached[s] ?? 0) === 0);
}
