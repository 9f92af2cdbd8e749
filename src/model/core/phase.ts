/**
 * Non-atomic handlers. A real handler is not one indivisible step: Xen preempts a long hypercall
 * (`hypercall_preempt_check`, then a hypercall continuation that resumes at `nr_done`, or
 * `-ERESTART` from `domain_relinquish_resources`), and KVM calls the page-track notifier
 * (`track_write`) after the emulated write, while another CPU may be removing the tracked page
 * (seed 002). A phased op runs its first phase when it is issued and leaves a `Continuation` in the
 * state; other principals' actions interleave; a generated `continue` action naming the continuation
 * runs its next phase (`continueOp`). Between phases a continuation may hold locks, stated as data
 * (`Pause.holds`): the runner does not schedule an action that needs one of them (`schedulable`).
 *
 * The continuation is plain state, so a state copy, a comparison, a digest and an ITF export see it
 * like any other field. The trace names each phase: the `continue` action carries the continuation's
 * key, the phase index and the phase's name, so a shrunk trace that dropped an earlier phase of the
 * same continuation cannot run a later one (phase order is kept by construction).
 */
import type { ArgRecord, GenSpec, OpContext, OpDef, OpResult } from './op.ts';
import { fail } from './op.ts';
import type { State } from './state.ts';

/** A lock a phase holds or an action needs, by name with its object: 'p2m:d1', 'vgpu:d2'. */
export type LockName = string;

/** A pending phased operation: what the hypervisor keeps between two phases of one handler. */
export interface Continuation {
  /** Names the continuation in `continue` actions; stable when other steps are dropped (e.g. 'destroyDomain:d1'). */
  readonly key: string;
  /** The phased op it continues. */
  readonly op: string;
  /** The op's resolved arguments (the hypercall's arguments, which the continuation re-reads). */
  readonly args: ArgRecord;
  /** The index of the phase that runs next (the first, run when the op is issued, is phase 0). */
  readonly phase: number;
  /** The name of the phase that runs next ('relinquish p2m', 'track_write'). */
  readonly next: string;
  /** Where the next phase starts: Xen's `nr_done`, or a table index. */
  readonly cursor: number;
  /** Values the handler keeps across the preemption (its saved locals: a looked-up shadow's position). */
  readonly saved: readonly number[];
  /** Locks held across the window until the next phase runs. */
  readonly holds: readonly LockName[];
  /** The step clock when it paused: a resume at a later clock than the next step's had others run in between. */
  readonly pausedAt: number;
}

/** Where a phase stops with work left: the next phase, its cursor and what stays held meanwhile. */
export interface Pause {
  next: string;
  cursor: number;
  saved?: readonly number[];
  holds?: readonly LockName[];
  /**
   * What the step answers. Default `ERESTART` (Xen's internal "preempted, a continuation is
   * pending"): work done so far stands, so it is not a refusal. A notifier split answers what the
   * trapping write answers (`OK`): the write itself is done.
   */
  answer?: OpResult;
}

/** What one phase did: finished (with the op's answer) or paused. */
export type PhaseOutcome = { done: OpResult } | { pause: Pause };

/** The phase a `continue` resumes. */
export interface ResumePoint {
  phase: number;
  next: string;
  cursor: number;
  saved: readonly number[];
}

/** The phase-specific handlers of a phased op (on its `OpDef`, where `continueOp` finds them). */
export interface PhasedHandlers<A extends ArgRecord = ArgRecord> {
  /** The continuation's key for these arguments: one continuation per key may be pending. */
  key(args: A): string;
  /** Run the named next phase from its resume point. Must validate like `apply`: replay skips `resolve`. */
  resume(state: State, args: A, at: ResumePoint, ctx: OpContext): PhaseOutcome;
}

/** What `definePhasedOp` takes: an op whose `begin` is its first phase, and the handlers of the others. */
export interface PhasedSpec<A extends ArgRecord, G extends GenSpec> extends Omit<OpDef<A, G>, 'apply' | 'phased'>, PhasedHandlers<A> {
  /** The first phase, run when the op is issued. A refusal here must change nothing. */
  begin(state: State, args: A, ctx: OpContext): PhaseOutcome;
}

/** The answer Xen's preempted handlers give internally. */
export const RESTART: OpResult = Object.freeze({ ok: false, err: 'ERESTART' }) as OpResult;

/** The continuations pending in a state (none when the field is absent: no phased op began). */
export function pending(state: State): readonly Continuation[] {
  return state.continuations ?? [];
}

/** The pending continuation with `key`, if any. */
export function findContinuation(state: State, key: string): Continuation | undefined {
  const list = state.continuations;
  return list === undefined ? undefined : list.find((c) => c.key === key);
}

/** Whether a continuation of op `op` whose arguments satisfy `match` is pending. */
export function isPending(state: State, op: string, match: (args: ArgRecord) => boolean): boolean {
  return pending(state).some((c) => c.op === op && match(c.args));
}

/**
 * Record what a phase did: a pause replaces (or adds) the continuation, a finish removes it. The
 * field is deleted when the last continuation ends, so a state with none is the state of a design
 * without phased ops (digests and the corpus stay as they were).
 */
function settle(state: State, key: string, op: string, args: ArgRecord, ran: number, out: PhaseOutcome): OpResult {
  const rest = pending(state).filter((c) => c.key !== key);
  if ('done' in out) {
    if (rest.length > 0) state.continuations = rest;
    else delete state.continuations;
    return out.done;
  }
  const p = out.pause;
  const c: Continuation = { key, op, args, phase: ran + 1, next: p.next, cursor: p.cursor, saved: [...(p.saved ?? [])], holds: [...(p.holds ?? [])], pausedAt: state.clock };
  // Insertion order is begin order: a continuation keeps its place when it pauses again.
  const at = pending(state).findIndex((x) => x.key === key);
  const list = [...rest];
  list.splice(at < 0 ? list.length : at, 0, c);
  state.continuations = list;
  return p.answer ?? RESTART;
}

/**
 * Define a phased op: `apply` runs the first phase (refusing with EBUSY while a continuation with the
 * same key is pending — the handler is already running), and `phased` carries the handlers
 * `continueOp` runs for the later ones.
 */
export function definePhasedOp<const G extends GenSpec, A extends ArgRecord>(spec: PhasedSpec<A, G>): OpDef<A, G> {
  const { begin, key, resume, ...op } = spec;
  return {
    ...op,
    phased: { key, resume },
    apply(state, args, ctx) {
      const k = key(args);
      if (findContinuation(state, k) !== undefined) return fail('EBUSY');
      const out = begin(state, args, ctx);
      // A first phase that finishes at once leaves no continuation behind: the atomic case.
      if ('done' in out) return out.done;
      return settle(state, k, spec.name, args, 0, out);
    },
  };
}

/** The situation noted when a continuation resumes after other actions ran in its window. */
export const INTERLEAVED = 'phase-resumed-after-interleaving';

/** The name of the op that resumes continuations. */
export const CONTINUE = 'continue';

/**
 * `continue`: resume a pending continuation at its next phase (Xen re-entering the hypercall from
 * its continuation, KVM calling the notifier). Generated with a pick over the pending continuations,
 * so a shrunk sequence that dropped the op's first phase simply has nothing to continue.
 */
export function continueOp(ops: readonly OpDef[]): OpDef {
  const byName = new Map<string, OpDef>();
  for (const op of ops) if (op.phased !== undefined) byName.set(op.name, op);
  const names = [...byName.keys()].join(', ');
  const locksOf = (state: State, c: Continuation): readonly LockName[] => byName.get(c.op)?.locks?.(state, c.args) ?? [];
  return {
    name: CONTINUE,
    actor: 'hypervisor',
    weight: 4,
    doc: `a preempted handler (${names}) runs its next phase, where its continuation left off`,
    gen: { which: { kind: 'pick' } },
    resolve(state, raw) {
      const list = pending(state);
      if (list.length === 0) return null;
      const c = list[Math.abs(Number(raw.which)) % list.length];
      return { cont: c.key, phase: c.phase, at: c.next };
    },
    enabled(state, args) {
      const c = findContinuation(state, String(args.cont));
      return c !== undefined && c.phase === args.phase && c.next === args.at;
    },
    // A phase needs what its op needs, not what its own continuation already holds (`schedulable` skips those).
    locks(state, args) {
      const c = findContinuation(state, String(args.cont));
      return c === undefined ? [] : locksOf(state, c);
    },
    apply(state, args, ctx) {
      const c = findContinuation(state, String(args.cont));
      if (c === undefined) return fail('ENOENT');
      if (c.phase !== args.phase || c.next !== args.at) return fail('EINVAL');
      const op = byName.get(c.op);
      if (op?.phased === undefined) return fail('EINVAL');
      // Other actions ran in the window: the case atomic handlers could never show.
      if (state.clock > c.pausedAt + 1) ctx.note(INTERLEAVED);
      const out = op.phased.resume(state, c.args, { phase: c.phase, next: c.next, cursor: c.cursor, saved: c.saved }, ctx);
      return settle(state, c.key, c.op, c.args, c.phase, out);
    },
  };
}

/** A design's op list with `continue` appended when one of them is phased (and not already there). */
export function withContinuations(ops: readonly OpDef[]): OpDef[] {
  if (!ops.some((o) => o.phased !== undefined) || ops.some((o) => o.name === CONTINUE)) return [...ops];
  return [...ops, continueOp(ops)];
}

/**
 * Whether the scheduler may run `op` with `args` now: no pending continuation other than the one it
 * resumes holds a lock the action needs. Cheap when nothing is pending (the common case) or the op
 * names no locks.
 */
export function schedulable(state: State, op: OpDef, args: ArgRecord): boolean {
  const list = state.continuations;
  if (list === undefined || list.length === 0 || op.locks === undefined) return true;
  const need = op.locks(state, args);
  if (need.length === 0) return true;
  const self = op.name === CONTINUE ? args.cont : undefined;
  for (const c of list) {
    if (c.key === self) continue;
    for (const l of c.holds) if (need.includes(l)) return false;
  }
  return true;
}

/** The lock on a domain's p2m (Xen's p2m lock; KVM's mmu_lock), as phases and ops name it. */
export function p2mLock(dom: number): LockName {
  return `p2m:d${dom}`;
}
