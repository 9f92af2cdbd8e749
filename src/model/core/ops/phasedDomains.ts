/**
 * Domain destruction as Xen runs it: XEN_DOMCTL_destroydomain → `domain_kill`, whose
 * `domain_relinquish_resources` gives its page tables back a few entries at a time and answers
 * `-ERESTART` when `hypercall_preempt_check` says so; the domctl is then re-entered as a hypercall
 * continuation and picks up where it stopped (conformance DOM-08). Between two extents other vCPUs —
 * other domains, and the dying domain's own if nothing stopped them — run.
 *
 * Phases: 'release mappings' (the design's destroy steps, `domain_pause` + `is_dying =
 * DOMDYING_dying` when the guard says so, then `gnttab_release_mappings`), 'relinquish p2m' and
 * 'relinquish iommu' (RELINQUISH_EXTENT entries per phase, resuming at the cursor), and a last one
 * that drops the unmapped grants and the GPU DMA tables and decides dying or dead. What keeps the
 * half-destroyed domain from growing again is the design's `RelinquishGuard`.
 */
import { putRef } from '../frames.ts';
import { isAlive } from '../lookup.ts';
import type { LockName, PhaseOutcome } from '../phase.ts';
import { definePhasedOp, p2mLock } from '../phase.ts';
import type { DomId, State } from '../state.ts';
import type { Teardown } from '../teardown.ts';
import { NO_TEARDOWN } from '../teardown.ts';
import type { OpContext } from '../op.ts';
import { fail, OK } from '../op.ts';
import { knobReader } from '../design.ts';
import { CORE_DESTROY_STEPS } from './domains.ts';

/** p2m or IOMMU entries a relinquish phase drops before it checks for preemption. */
export const RELINQUISH_EXTENT = 2;

/**
 * What stops the dying domain from gaining mappings while its teardown is preempted:
 *  - 'dying-first': Xen's order — `domain_pause` and `DOMDYING_dying` before anything is relinquished,
 *    so every op that needs the domain alive refuses it (sound);
 *  - 'p2m-lock': the domain stays running but the continuation holds its p2m lock across every
 *    preemption, so the scheduler runs nothing that changes that p2m (sound, and not what Xen can do:
 *    a spinlock is never held across a continuation — it shows locks stated as data);
 *  - 'none': marked dying only at the end and no lock kept: a grant map or a populate_physmap lands
 *    on a half-destroyed domain behind the relinquish cursor and is never torn down (racy).
 */
export type RelinquishGuard = 'dying-first' | 'p2m-lock' | 'none';

/** The knob that picks a design's `RelinquishGuard`. */
export const RELINQUISH_KNOBS = {
  relinquishGuard: {
    description:
      "what keeps a half-destroyed domain from gaining mappings while domain_relinquish_resources is preempted: dying-first (Xen: paused and DOMDYING_dying before anything is relinquished), p2m-lock (the continuation holds the domain's p2m lock across preemptions), none (marked dying only at the end: racy)",
    values: ['dying-first', 'p2m-lock', 'none'] as RelinquishGuard[],
    default: 'dying-first' as RelinquishGuard,
  },
} as const;

/** `{ relinquishGuard }` under a run's knob values. */
export const relinquishConfig = knobReader(RELINQUISH_KNOBS);

/** The core step named `name` (the one list of what destruction does). */
function coreStep(name: string) {
  const s = CORE_DESTROY_STEPS.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no core destroy step '${name}'`);
  return s;
}

const MARK_DYING = coreStep('mark dying');
const RELEASE_MAPPINGS = coreStep('unmap its grant mappings');
const FINAL_STEPS = ['drop its unmapped grants', 'drop its GPU DMA tables', 'dead if it holds no pages'].map(coreStep);

/** The tables relinquished one extent at a time, in Xen's order (p2m, then the IOMMU page tables). */
const TABLES = [
  { phase: 'relinquish p2m', table: (state: State, dom: DomId) => state.domains[dom].p2m },
  { phase: 'relinquish iommu', table: (state: State, dom: DomId) => state.domains[dom].iommu },
] as const;

/** The first index at or after `from` of a non-empty entry, or -1. */
function nextEntry(table: readonly unknown[], from: number): number {
  for (let i = Math.max(0, from); i < table.length; i++) if (table[i] !== null) return i;
  return -1;
}

/** Where the teardown goes after table `t` (from index `from`): the next table with work, or the end. */
function after(state: State, dom: DomId, t: number, from: number, guard: RelinquishGuard, ctx: OpContext): PhaseOutcome {
  for (let k = t; k < TABLES.length; k++) {
    const at = nextEntry(TABLES[k].table(state, dom), k === t ? from : 0);
    if (at >= 0) return { pause: { next: TABLES[k].phase, cursor: at, holds: holds(guard, dom) } };
  }
  if (guard !== 'dying-first') MARK_DYING.run(state, dom);
  for (const s of FINAL_STEPS) s.run(state, dom);
  if (state.domains[dom].state === 'dying') ctx.note('destroyed-domain-frames-still-held');
  return { done: OK };
}

function holds(guard: RelinquishGuard, dom: DomId): readonly LockName[] {
  return guard === 'p2m-lock' ? [p2mLock(dom)] : [];
}

/** Drop up to RELINQUISH_EXTENT entries of one table from `cursor` on, putting the counted ones' frames. */
function relinquishExtent(table: ({ mfn: number; counted: boolean } | null)[], cursor: number, state: State): number {
  let dropped = 0;
  let i = Math.max(0, cursor);
  for (; i < table.length && dropped < RELINQUISH_EXTENT; i++) {
    const e = table[i];
    if (e === null) continue;
    table[i] = null;
    if (e.counted) putRef(state, e.mfn);
    dropped += 1;
  }
  return i;
}

/** XEN_DOMCTL_destroydomain as a preemptible handler, for a design's teardown and relinquish guard. */
export function makePhasedDestroyDomain(t: Teardown = NO_TEARDOWN) {
  return definePhasedOp({
    name: 'destroyDomain',
    actor: 'toolstack',
    // Higher than the atomic destroy's 1: its windows are what a preemptible design is fuzzed for.
    weight: 3,
    doc: `toolstack destroys dom; domain_relinquish_resources drops ${RELINQUISH_EXTENT} entries per phase and continues after -ERESTART (relinquishGuard says what stops the domain growing meanwhile)`,
    gen: { dom: { kind: 'dom' } },
    resolve(state, raw) {
      const dom = raw.dom;
      return isAlive(state, dom) && dom !== 0 ? { dom } : null;
    },
    enabled: () => true,
    key: ({ dom }) => `destroyDomain:d${dom}`,
    // Every phase works on the domain's p2m: nothing else may be half way through changing it.
    locks: (_state, { dom }) => [p2mLock(dom)],
    begin(state, { dom }, ctx) {
      const guard = relinquishConfig(ctx.knobs).relinquishGuard;
      if (dom === 0) return { done: fail('EPERM') };
      if (!isAlive(state, dom)) return { done: fail('ESRCH') };
      for (const step of t.destroyDomain) step.run(state, dom, ctx);
      if (guard === 'dying-first') MARK_DYING.run(state, dom);
      RELEASE_MAPPINGS.run(state, dom);
      return after(state, dom, 0, 0, guard, ctx);
    },
    resume(state, { dom }, at, ctx) {
      const guard = relinquishConfig(ctx.knobs).relinquishGuard;
      const k = TABLES.findIndex((x) => x.phase === at.next);
      const d = state.domains[dom];
      if (k < 0 || d === undefined) return { done: fail('EINVAL') };
      if (guard === 'none' && d.state === 'alive') ctx.note('relinquish-preempted-while-running');
      const next = relinquishExtent(TABLES[k].table(state, dom), at.cursor, state);
      return after(state, dom, k, next, guard, ctx);
    },
  });
}
