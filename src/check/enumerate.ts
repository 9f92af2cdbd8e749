/**
 * The actions enabled at a state, enumerated instead of drawn: every op's whole raw argument space
 * (every domain id, every pick over the live sets, both booleans, every int, every `oneOf` value) is
 * resolved with the op's own `resolve` and filtered by its `enabled`, exactly as `runGenerated` does
 * for a fuzzed action — so the checker sees precisely what fuzz can do, no more. Raw choices that
 * resolve to the same explicit action (a pick wraps around its live set) are kept once.
 */
import type { Action, ArgSpec, OpDef, RawArgs, GenSpec, RawArg } from '../model/core/op.ts';
import { schedulable } from '../model/core/phase.ts';
import type { Scope } from '../model/core/scope.ts';
import { domainSlots } from '../model/core/scope.ts';
import type { State } from '../model/core/state.ts';

/** One enumerated action: the op that applies it and the explicit action a trace records. */
export interface Choice {
  op: OpDef;
  action: Action;
}

/**
 * The values a raw argument takes. A `pick` wraps around its live set (`pickFrom`), so indices below
 * `pickLimit` reach every element of any live set of at most that size; fuzz draws at most 16.
 */
export function argValues(spec: ArgSpec, scope: Scope, pickLimit: number): readonly RawArg<ArgSpec>[] {
  switch (spec.kind) {
    case 'dom':
      return range(domainSlots(scope));
    case 'pick':
      return range(pickLimit);
    case 'bool':
      return [false, true];
    case 'int':
      return range(Math.max(0, spec.max(scope)) + 1);
    case 'oneOf':
      return spec.values;
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Every raw argument record of an op, in a fixed order (the first argument varies slowest). */
export function rawSpace(op: OpDef, scope: Scope, pickLimit: number): RawArgs<GenSpec>[] {
  let out: Record<string, RawArg<ArgSpec>>[] = [{}];
  for (const [name, spec] of Object.entries(op.gen)) {
    const values = argValues(spec, scope, pickLimit);
    const next: Record<string, RawArg<ArgSpec>>[] = [];
    for (const partial of out) for (const v of values) next.push({ ...partial, [name]: v });
    out = next;
  }
  return out as RawArgs<GenSpec>[];
}

/** A cache of each op's raw space for one scope (it does not depend on the state). */
export type RawSpaces = ReadonlyMap<OpDef, readonly RawArgs<GenSpec>[]>;

/** The raw spaces of a design's ops. */
export function rawSpaces(ops: readonly OpDef[], scope: Scope, pickLimit: number): RawSpaces {
  return new Map(ops.map((op) => [op, rawSpace(op, scope, pickLimit)]));
}

/**
 * A key for an op's explicit arguments, in the order `resolve` returned them: the values joined when
 * all are numbers or booleans (every core op's), else JSON. Only compared within one op's actions.
 */
function argsKey(args: Record<string, unknown>): string {
  let out = '';
  for (const k in args) {
    const v = args[k];
    if (typeof v !== 'number' && typeof v !== 'boolean') return JSON.stringify(args);
    out += `${k}=${String(v)},`;
  }
  return out;
}

/**
 * The distinct explicit actions enabled at `state`, ops in design order, each op's in raw-space
 * order. Deterministic: same state, same list.
 */
export function enabledActions(state: State, ops: readonly OpDef[], spaces: RawSpaces, scope: Scope): Choice[] {
  const out: Choice[] = [];
  for (const op of ops) {
    const seen = new Set<string>();
    for (const raw of spaces.get(op) ?? []) {
      const args = op.resolve(state, raw, scope);
      // As the runner does: an action needing a lock a pending continuation holds is not scheduled.
      if (args === null || !op.enabled(state, args) || !schedulable(state, op, args)) continue;
      const key = argsKey(args);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ op, action: { op: op.name, ...args } });
    }
  }
  return out;
}
