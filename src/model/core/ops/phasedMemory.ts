/**
 * XENMEM_decrease_reservation over a list of extents, as Xen runs it (conformance MEM-13): the loop
 * in `decrease_reservation` calls `hypercall_preempt_check()` before every extent but the first of an
 * invocation, and when preempted records `nr_done` and returns through a hypercall continuation that
 * re-enters the loop at `nr_done`. One extent per phase here: a `continue` that follows at once is
 * the invocation that was not preempted, one that follows other actions is the one that was.
 * An extent that fails ends the hypercall with the count done so far; only a failing first extent
 * is an error (and, like every refusal, changes nothing).
 */
import { isAlive, ramGfns } from '../lookup.ts';
import type { OpDef } from '../op.ts';
import { fail, okValue } from '../op.ts';
import { definePhasedOp, p2mLock } from '../phase.ts';
import type { PhaseOutcome } from '../phase.ts';
import type { DomId, State } from '../state.ts';
import type { OpContext } from '../op.ts';

/** Extents one generated call carries at most (the scope's domains have a handful of RAM pages). */
export const MAX_EXTENTS = 3;

/**
 * `decreaseReservationRange`: balloon out `gfns` of `dom` with one hypercall, through `one` — the
 * design's single-extent decrease_reservation (with its balloon-out steps), so both forms agree.
 */
export function makeDecreaseReservationRange(one: OpDef<{ dom: number; gfn: number }>) {
  /** Extent `i` and what follows it: pause before the next one, or the final count. */
  const extent = (state: State, dom: DomId, gfns: readonly number[], i: number, ctx: OpContext): PhaseOutcome => {
    const r = one.apply(state, { dom, gfn: gfns[i] }, ctx);
    if (!r.ok) return { done: i === 0 ? r : okValue(i) };
    if (i + 1 >= gfns.length) return { done: okValue(gfns.length) };
    return { pause: { next: 'extent', cursor: i + 1 } };
  };
  return definePhasedOp({
    name: 'decreaseReservationRange',
    actor: 'guest',
    weight: 2,
    doc: `guest dom balloons out up to ${MAX_EXTENTS} gfns in one XENMEM_decrease_reservation; hypercall_preempt_check between extents, the continuation resumes at nr_done`,
    gen: { dom: { kind: 'dom' }, gfn: { kind: 'pick' }, count: { kind: 'int', max: () => MAX_EXTENTS } },
    resolve(state, raw) {
      if (!isAlive(state, raw.dom)) return null;
      const ram = ramGfns(state, raw.dom);
      if (ram.length === 0) return null;
      const gfns: number[] = [];
      for (let i = 0; i < Math.max(1, raw.count) && i < ram.length; i++) gfns.push(ram[(Math.abs(raw.gfn) + i) % ram.length]);
      return { dom: raw.dom, gfns };
    },
    enabled: (state, a) => isAlive(state, a.dom),
    key: ({ dom }) => `decreaseReservationRange:d${dom}`,
    locks: (_state, { dom }) => [p2mLock(dom)],
    begin(state, { dom, gfns }, ctx) {
      if (!Array.isArray(gfns) || gfns.length === 0 || gfns.length > MAX_EXTENTS) return { done: fail('EINVAL') };
      return extent(state, dom, gfns, 0, ctx);
    },
    resume(state, { dom, gfns }, at, ctx) {
      // The continuation re-reads its arguments from guest memory: nr_done is all it carries.
      if (!Array.isArray(gfns) || at.cursor <= 0 || at.cursor >= gfns.length) return { done: fail('EINVAL') };
      ctx.note('decrease-reservation-continued');
      return extent(state, dom, gfns, at.cursor, ctx);
    },
  });
}
