/**
 * What an operation is: who issues it, how its arguments are generated, when it is enabled, and what
 * it does. Operations mutate the state they are given and answer like a hypercall — `ok` or an error
 * code. Refusing is normal behaviour; an exception is a harness bug (the runner reports it as `error`).
 */
import type { LockName, PhasedHandlers } from './phase.ts';
import type { RuleOverrides } from './ruleSet.ts';
import type { FaultSite } from './faults.ts';
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
  | 'EOPNOTSUPP'
  // Grant-table status codes (GNTST_*), as a guest reads them from a map or unmap op's `status`.
  | 'GNTST_general_error'
  | 'GNTST_bad_domain'
  | 'GNTST_bad_gntref'
  | 'GNTST_bad_handle'
  | 'GNTST_bad_page'
  | 'GNTST_bad_dev_addr'
  | 'GNTST_no_space'

  /** Xen's internal "preempted": the handler's work so far stands and a continuation resumes it (phase.ts). */
  | 'ERESTART';

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

/** The spec of a boolean argument. */
export type BoolSpec = Extract<ArgSpec, { kind: 'bool' }>;
/** The spec of a bounded integer argument. */
export type IntSpec = Extract<ArgSpec, { kind: 'int' }>;

/** An op's generator spec: one `ArgSpec` per raw argument name. */
export type GenSpec = { readonly [arg: string]: ArgSpec };

/** The value one spec draws: `bool` a boolean, `oneOf` one of its values, the others a number. */
export type RawArg<S extends ArgSpec> = S extends { kind: 'bool' }
  ? boolean
  : S extends { kind: 'oneOf'; values: readonly (infer V)[] }
    ? V
    : number;

/**
 * The raw argument record a generator spec draws, e.g. `{ dom: number; write: boolean }` for
 * `{ dom: { kind: 'dom' }, write: { kind: 'bool' } }`. For the erased `GenSpec` (an op in a list of
 * ops of many shapes) it is a record of any raw values, which is what the runner hands over.
 */
export type RawArgs<G extends GenSpec> = { -readonly [K in keyof G]: RawArg<Exclude<G[K], undefined>> };

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
  /** The design's overrides of its slices' named rules (ruleSet.ts); absent: every rule at its default. */
  rules?: RuleOverrides;
  /** The fault injector for this step (faults.ts); absent outside fault injection, where every fallible point succeeds. */
  faults?: FaultSite;
}

/**
 * An operation definition. `G` is its generator spec, from which the raw arguments `resolve` receives
 * are typed; `A` is the resolved argument record recorded in traces, which `enabled` and `apply` get.
 * `OpDef` with no type arguments is any op, so ops of different shapes sit in one list: both type
 * parameters are declared covariant (`out`), which holds because the runner only ever hands an op the
 * arguments its own `resolve` produced, or a trace recorded for it (which `apply` validates anyway).
 */
export interface OpDef<out A extends ArgRecord = ArgRecord, out G extends GenSpec = GenSpec> {
  name: string;
  actor: Actor;
  /** One line for `shadowcheck list` and trace rendering. */
  doc: string;
  /** Bumped by hand when the semantics change, so saved traces know they may be stale (design digest). */
  rev?: number;
  /** Relative frequency in generated sequences (default 2): rare for ops that end worlds, high for the racy ones. */
  weight?: number;
  /**
   * Whether generated sequences include the op under a run's knobs (default: always). A compromised
   * principal's moves are generated only when a knob makes it compromised, so an all-correct campaign
   * draws exactly the sequences it drew before they existed; replay still finds the op by name.
   */
  generatedWhen?: (knobs: KnobValues) => boolean;
  /** Generated (raw) arguments. */
  gen: G;
  // Method syntax on purpose: TypeScript checks method parameters bivariantly, which is what lets a
  // typed `OpDef<{ dom: number }, …>` stand in a list of `OpDef` without a cast.
  /** Turn raw generated arguments into explicit ones, or null when there is nothing to act on. */
  resolve(state: State, raw: RawArgs<G>, scope: Scope): A | null;
  /** Whether the actor can issue the action at all (e.g. its domain is alive). */
  enabled(state: State, args: A): boolean;
  /** Perform the action on `state` in place and answer. Must validate every argument: replay skips `resolve`. */
  apply(state: State, args: A, ctx: OpContext): OpResult;
  /**
   * The locks the action takes while it runs (phase.ts): the runner does not schedule it while a
   * pending continuation holds one of them. None when omitted.
   */
  locks?(state: State, args: A): readonly LockName[];
  /** For a phased op (`definePhasedOp`): the handlers of its later phases, which `continue` runs. */
  phased?: PhasedHandlers<A>;
}

/**
 * The resolved arguments of an op (what its traces record), e.g. `ArgsOf<typeof revoke>`: what a
 * transition invariant watching that op reads from the action, typed instead of cast.
 */
export type ArgsOf<O> = O extends OpDef<infer A, GenSpec> ? A : never;

/**
 * Define an op with its argument types inferred: the raw arguments from `gen` (so `resolve` needs no
 * casts) and the resolved ones from what `resolve` returns (so `enabled` and `apply` see them typed).
 * The result is still the typed op, so a wrapper that spreads it and overrides `apply` stays typed.
 */
export function defineOp<const G extends GenSpec, A extends ArgRecord>(op: OpDef<A, G>): OpDef<A, G> {
  return op;
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
