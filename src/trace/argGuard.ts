/**
 * Replaying a recorded action whose op now reads an argument the action does not carry (its design
 * added one since the trace was recorded) must not run the op with `undefined` in its place: replay
 * skips `resolve`, so nothing else would supply it. Each replayed action is wrapped so that reading a
 * missing argument stops the run (the runner turns the throw into an error outcome) and is recorded,
 * and the caller reports the trace as stale with the op, the step and the argument's name.
 */
import type { Action } from '../model/core/op.ts';
import type { Outcome } from '../runner/outcome.ts';

/** An argument an op read that the recorded action lacks. */
export interface MissingArgument {
  /** Index of the action in the replayed list. */
  index: number;
  op: string;
  arg: string;
}

/** Property names read by machinery, not by an op: JSON, promises, inspection. */
const NOT_ARGUMENTS = new Set(['toJSON', 'then', 'constructor', 'valueOf', 'toString']);

/** Guarded copies of `actions`, the list of missing reads they record, and a way to put the originals back into a trace. */
export function guardArguments(actions: readonly Action[]): { guarded: Action[]; missing: MissingArgument[]; restore(o: Outcome): Outcome } {
  const missing: MissingArgument[] = [];
  const originals = new Map<Action, Action>();
  const guarded = actions.map((action, index) => {
    const proxy = new Proxy(action, {
      get(target, key, receiver) {
        if (typeof key === 'string' && !(key in target) && !NOT_ARGUMENTS.has(key)) {
          missing.push({ index, op: target.op, arg: key });
          throw new Error(`the recorded ${target.op} action has no argument '${key}', which ${target.op} now reads`);
        }
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    originals.set(proxy, action);
    return proxy;
  });
  const restore = (o: Outcome): Outcome => {
    const trace = o.trace.map((s) => ({ ...s, action: originals.get(s.action) ?? s.action }));
    if (o.kind === 'error' && o.action !== undefined) return { ...o, trace, action: originals.get(o.action) ?? o.action };
    return { ...o, trace };
  };
  return { guarded, missing, restore };
}

/** The stale reason for missing arguments, in words. */
export function missingArgumentWords(m: MissingArgument): string {
  return `step ${m.index + 1} (${m.op}) lacks argument '${m.arg}', which ${m.op} now reads (its design added it after this trace was recorded)`;
}
