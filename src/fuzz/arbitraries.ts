/**
 * fast-check wiring: an op's declarative argument specs become arbitraries, a design's ops become one
 * action arbitrary, and an action sequence is an array of those — shrinking removes actions and
 * shrinks arguments, and because arguments pick from live sets, shrunk sequences stay applicable.
 */
import fc from 'fast-check';
import { domainSlots } from '../model/core/scope.ts';
import type { Scope } from '../model/core/scope.ts';
import type { ArgSpec, OpDef, RawArg } from '../model/core/op.ts';
import type { RawAction } from '../runner/run.ts';

/** Largest `pick` index generated: live sets in small scopes rarely exceed it, and small is what shrinks to. */
const PICK_MAX = 15;

/** The arbitrary for one argument spec: it draws the values `RawArg` types (what the op's `resolve` receives). */
export function argArbitrary(spec: ArgSpec, scope: Scope): fc.Arbitrary<RawArg<ArgSpec>> {
  switch (spec.kind) {
    case 'dom':
      return fc.integer({ min: 0, max: domainSlots(scope) - 1 });
    case 'pick':
      // Half the time the first of the live set: the most recently freed frame, the first RAM GFN. Two
      // actions picking the same object is what races are made of.
      return fc.oneof(fc.constant(0), fc.integer({ min: 0, max: PICK_MAX }));
    case 'bool':
      return fc.boolean();
    case 'int':
      return fc.integer({ min: 0, max: Math.max(0, spec.max(scope)) });
    case 'oneOf':
      return fc.constantFrom(...spec.values);
  }
}

/** The arbitrary for one op's raw actions. */
export function opArbitrary(op: OpDef, scope: Scope): fc.Arbitrary<RawAction> {
  const fields: Record<string, fc.Arbitrary<RawArg<ArgSpec>>> = {};
  for (const [name, spec] of Object.entries(op.gen)) fields[name] = argArbitrary(spec, scope);
  return fc.record(fields).map((raw) => ({ op: op.name, raw }));
}

/** The arbitrary for action sequences over a design's ops, up to `scope.maxActions` long. */
export function actionsArbitrary(ops: readonly OpDef[], scope: Scope): fc.Arbitrary<RawAction[]> {
  const one = fc.oneof(...ops.map((op) => ({ arbitrary: opArbitrary(op, scope), weight: op.weight ?? 2 })));
  return fc.array(one, { maxLength: scope.maxActions, size: 'max' });
}
