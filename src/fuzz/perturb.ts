/**
 * Perturbed replay: explicit actions that `resolve` would never produce. A generated trace's actions
 * have their arguments edited — a number moved a little, set anywhere in a small range (-2..63), or
 * set to a number another step of the trace names (a GFN another op mapped at, an MFN a lookup
 * returned: the objects that matter), a boolean flipped — and the edited list is run as a replay runs it, skipping `resolve`. Each op's
 * `apply` must then refuse what is not valid (OpDef: "must validate every argument: replay skips
 * resolve"); the invariants a design is expected to hold must still hold. This reaches the guards
 * that the generator, which only offers live objects, never tests.
 */
import fc from 'fast-check';
import type { Action } from '../model/core/op.ts';
import type { Checker } from '../runner/checker.ts';
import type { Outcome } from '../runner/outcome.ts';
import type { RawAction } from '../runner/run.ts';
import { runGenerated, runResolved } from '../runner/run.ts';
import { actionsArbitrary } from './arbitraries.ts';

/** One edit: which action (modulo the trace length), which argument (modulo its count), and the new value. */
export interface ArgEdit {
  action: number;
  arg: number;
  /**
   * Added to a number (`delta`), the number itself (`set`), or an index into the numbers the trace's
   * actions and answers name (`reuse`); a boolean is flipped whatever the kind.
   */
  kind: 'delta' | 'set' | 'reuse';
  value: number;
}

/** The arbitrary of edit lists. */
export function editsArbitrary(maxEdits = 24): fc.Arbitrary<ArgEdit[]> {
  const edit = fc.record({
    action: fc.nat(1000),
    arg: fc.nat(20),
    kind: fc.constantFrom('delta' as const, 'set' as const, 'reuse' as const),
    value: fc.integer({ min: -2, max: 63 }),
  });
  return fc.array(edit, { minLength: 1, maxLength: maxEdits, size: 'max' });
}

/** Every number the actions and their answers name, in trace order (repeats kept: common values weigh more). */
function numbersNamed(actions: readonly Action[], values: readonly (number | undefined)[]): number[] {
  const out: number[] = [];
  actions.forEach((a, i) => {
    for (const [k, v] of Object.entries(a)) if (k !== 'op' && typeof v === 'number') out.push(v);
    const r = values[i];
    if (r !== undefined) out.push(r);
  });
  return out;
}

/**
 * Apply edits to copies of the actions (`values`: each step's answered value, for `reuse`); an edit of
 * a string argument or of an argument-less action does nothing.
 */
export function perturb(actions: readonly Action[], edits: readonly ArgEdit[], values: readonly (number | undefined)[] = []): Action[] {
  const out = actions.map((a) => ({ ...a }));
  if (out.length === 0) return out;
  const pool = numbersNamed(actions, values);
  for (const e of edits) {
    const a = out[e.action % out.length];
    const keys = Object.keys(a).filter((k) => k !== 'op' && (typeof a[k] === 'number' || typeof a[k] === 'boolean'));
    if (keys.length === 0) continue;
    const k = keys[e.arg % keys.length];
    const v = a[k];
    if (typeof v === 'boolean') a[k] = !v;
    else if (typeof v === 'number') a[k] = editedNumber(v, e, pool);
  }
  return out;
}

/** The number an edit makes of `v`. */
function editedNumber(v: number, e: ArgEdit, pool: readonly number[]): number {
  if (e.kind === 'delta') return v + Math.sign(e.value || 1) * (1 + (Math.abs(e.value) % 3));
  if (e.kind === 'reuse' && pool.length > 0) return pool[(e.value + 2) % pool.length];
  return e.value;
}

/** Run a generated trace, perturb its explicit actions, and replay them; the replay's outcome. */
export function runPerturbed(checker: Checker, raw: readonly RawAction[], edits: readonly ArgEdit[]): Outcome {
  const trace = runGenerated(checker, raw).trace;
  const values = trace.map((s) => (s.result.ok ? s.result.value : undefined));
  return runResolved(checker, perturb(trace.map((s) => s.action), edits, values)).outcome;
}

/** A fast-check property: every perturbed replay of a generated trace holds the checker's invariants. */
export function perturbedProperty(checker: Checker): fc.IPropertyWithHooks<[RawAction[], ArgEdit[]]> {
  return fc.property(actionsArbitrary(checker.opList, checker.scope), editsArbitrary(), (raw, edits) => runPerturbed(checker, raw, edits).kind === 'ok');
}
