/**
 * What an operation is: who issues it, how its arguments are generated, when it is enabled, and what
 * it does. Operations mutate the state they are given and answer like a hypercall — `ok` or an error
 * code. Refusing is normal behaviour; an exception is a harness bug (the runner reports it as `error`).
 */
import type { Scope } from './scope.ts';
import type { State } from './state.ts';

/** Who issues an operation. */
export type Actor = 'guest' | 'backend' | 'toolstack' | 'device' | 'gpu' | 'hypervisor';

/** Xen-like error codes an operation may answer with. */
export type Errno =
  | 'EPERM'
  | 'EACCES'
  | 'ENOENT'
  | 'EINVAL'
  | 'EBUSY'
  | 'EEXIST'
  | 'ENOMEM'
  | 'ENOSPC'
  | 'ESRCH'
  | 'EFAULT'
  | 'EXDEV'
  | 'EOPNOTSUPP';

/** An operation's answer. `value` carries what the hypercall returns (a BFN, an MFN, a handle…). */
export type OpResult = { ok: true; value?: number } | { ok: false; err: Errno };

/** A value an action argument may take: plain data, so traces are explicit and serialisable. */
export type ArgValue = number | boolean | string | number[];

/** An action: the op name plus its arguments, e.g. `{ op: 'decreaseReservation', dom: 2, gfn: 5 }`. */
export interface Action {
  op: string;
  [arg: string]: ArgValue;
}

/** Argument arguments of an action, without the op name. */
export type ArgRecord = Record<string, ArgValue>;

/**
 * How one generated argument is drawn. `dom` ranges over domain ids; `pick` is a small index into a
 * live set that the op's `resolve` turns into a concrete object (Hypothesis's "bundle" idea), so most
 * generated actions stay applicable, even after shrinking removes earlier steps.
 */
export type ArgSpec =
  | { kind: 'dom' }
  | { kind: 'pick' }
  | { kind: 'bool' }
  | { kind: 'int'; max: (scope: Scope) => number }
  | { kind: 'oneOf'; values: readonly (string | number | boolean)[] };

/** Knob values, by knob name. */
export type KnobValues = Record<string, string | number | boolean>;

/** What an operation may consult besides the state. */
export interface OpContext {
  scope: Scope;
  knobs: KnobValues;
  /** Record that a risky situation was reached (e.g. 'shadowed-gfn-ballooned'); campaign statistics. */
  note(situation: string): void;
  /**
   * Record a warning the modelled software would log (e.g. an RMRR conflict under a 'warn' policy).
   * Warnings are kept with the step in the trace and listed in reports.
   */
  warn(message: string): void;
}

/** An operation definition. `A` is the resolved argument record recorded in traces. */
export interface OpDef<A extends ArgRecord = ArgRecord> {
  name: string;
  actor: Actor;
  /** One line for `shadowcheck list` and trace rendering. */
  doc: string;
  /** Bumped by hand when the semantics change, so saved traces know they may be stale (design digest). */
  rev?: number;
  /** Relative frequency in generated sequences (default 2): rare for ops that end worlds, high for the racy ones. */
  weight?: number;
  /** Generated (raw) arguments. */
  gen: Record<string, ArgSpec>;
  /** Turn raw generated arguments into explicit ones, or null when there is nothing to act on. */
  resolve(state: State, raw: ArgRecord, scope: Scope): A | null;
  /** Whether the actor can issue the action at all (e.g. its domain is alive). */
  enabled(state: State, args: A): boolean;
  /** Perform the action on `state` in place and answer. Must validate every argument: replay skips `resolve`. */
  apply(state: State, args: A, ctx: OpContext): OpResult;
}

/** Erase an op's argument type so ops of different shapes can sit in one list. */
export function defineOp<A extends ArgRecord>(op: OpDef<A>): OpDef {
  return op as unknown as OpDef;
}

/** Shorthands for results. */
export const OK: OpResult = Object.freeze({ ok: true }) as OpResult;
/** An `ok` result that returns a value. */
export function okValue(value: number): OpResult {
  return { ok: true, value };
}
/** A refusal with an error code. */
export function fail(err: Errno): OpResult {
  return { ok: false, err };
}
