/**
 * The IOASID tests' shared fixture: the ioasid-fd world, ops applied by name with their notes, state
 * invariants checked on a state, and traces run through the real runner.
 */
import { expect } from 'vitest';
import { INVARIANTS } from '../../../invariants/registry.ts';
import type { StateInvariant } from '../../../invariants/types.ts';
import { knobDefaults } from '../../../src/model/core/design.ts';
import type { Action, ArgRecord, KnobValues, OpResult } from '../../../src/model/core/op.ts';
import { DEFAULT_SCOPE } from '../../../src/model/core/scope.ts';
import type { State } from '../../../src/model/core/state.ts';
import { derive } from '../../../src/model/derived.ts';
import { ioasidFd } from '../../../src/model/ioasid/designs/ioasidFd.ts';
import type { Outcome } from '../../../src/runner/outcome.ts';
import { makeChecker } from '../../../src/runner/checker.ts';
import { runResolved } from '../../../src/runner/run.ts';

/** The design's knobs with `over` on top. */
export function knobs(over: KnobValues = {}): KnobValues {
  return { ...knobDefaults(ioasidFd), ...over };
}

/** A fresh pre-boot world of ioasid-fd. */
export function world(over: KnobValues = {}): State {
  return ioasidFd.buildWorld(DEFAULT_SCOPE, knobs(over));
}

/** Apply op `name` of ioasid-fd to `s` in place; its answer and the situations it noted. */
export function apply(s: State, name: string, args: ArgRecord, over: KnobValues = {}): { result: OpResult; notes: string[] } {
  const op = ioasidFd.ops.find((o) => o.name === name);
  if (op === undefined) throw new Error(`no op ${name}`);
  const notes: string[] = [];
  const result = op.apply(s, args, { scope: DEFAULT_SCOPE, knobs: knobs(over), note: (n) => notes.push(n), warn: () => {} });
  return { result, notes };
}

/** Apply an op that must succeed; returns its notes. */
export function ok(s: State, name: string, args: ArgRecord, over: KnobValues = {}): string[] {
  const { result, notes } = apply(s, name, args, over);
  expect(result.ok, `${name} ${JSON.stringify(args)} answered ${JSON.stringify(result)}`).toBe(true);
  return notes;
}

/** Ids of the state invariants of ioasid-fd that find something in `s`. */
export function failing(s: State): string[] {
  const d = derive(s);
  return INVARIANTS.filter((i): i is StateInvariant => i.kind === 'state' && ioasidFd.invariants.includes(i.id))
    .filter((i) => i.check(d).length > 0)
    .map((i) => i.id);
}

/** Run `actions` on ioasid-fd with `over`, checking `ids` (every invariant of the design when omitted). */
export function run(actions: readonly Action[], over: KnobValues = {}, ids?: readonly string[]): Outcome {
  const invs = INVARIANTS.filter((i) => ioasidFd.invariants.includes(i.id) && (ids === undefined || ids.includes(i.id)));
  return runResolved(makeChecker(ioasidFd, knobs(over), DEFAULT_SCOPE, invs), actions).outcome;
}

/** The invariant ids an outcome's first violating step broke (none for ok). */
export function broken(o: Outcome): string[] {
  return o.kind === 'violation' ? o.violations.map((v) => v.invariant) : [];
}

/** The witness text of invariant `id` in a violation outcome. */
export function witnessText(o: Outcome, id: string): string {
  if (o.kind !== 'violation') return `no violation (${o.kind})`;
  const v = o.violations.find((x) => x.invariant === id);
  const inv = INVARIANTS.find((i) => i.id === id)!;
  return v === undefined ? `not broken: ${o.violations.map((x) => x.invariant).join(', ')}` : inv.describe(v.witnesses[0] as never);
}
