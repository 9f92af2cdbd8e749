/**
 * Steal and Return (seed 004, Demi Marie Obenour 2025-02-02; she withdrew the request on 2025-02-06,
 * hence the `steal` knob). Steal turns frontend RAM into backend-owned pages, gives the backend a
 * mapping of each and leaves them in the frontend exactly as a Map would; it fails, changing nothing,
 * if any page is in a hypercall, is MMIO, was provided by another domain (Map or grant), is foreign
 * mapped, is granted, or is otherwise reachable by anyone but the frontend. Return gives a backend page
 * back to the frontend at the GFN it is Mapped at; the backend keeps no mapping of it. Both move quota.
 *
 * Both decide from what Xen stores, never from the derived `reach`/`refs` the invariants judge them by
 * (so a reference source missing from those relations cannot hide a wrong decision from both): the
 * frame's reference count against the references the op can account for, as Xen's steal_page compares
 * `count_info` with `1 | PGC_allocated`, the grant table, the p2m entries and the in-flight records.
 */
import { domOwner, putRef } from '../../core/frames.ts';
import { emptyGfns, isAlive, isTargetOf, pickFrom } from '../../core/lookup.ts';
import type { DomId, State } from '../../core/state.ts';
import type { VirtioMap } from '../state.ts';
import { descendants, flushAndWait } from '../maps.ts';
import type { Errno, OpResult } from '../../core/op.ts';
import { defineOp, fail, okValue } from '../../core/op.ts';
import { emptySlot, installMap, mapType, resolveDirectMap } from './mapping.ts';
import { virtioConfig } from '../knobs.ts';
import { ruleOf } from '../../core/ruleSet.ts';
// A cycle on purpose: the rule's default is this file's stealRefusal; each reads the other only when called.
import { VIRTIO_RULES } from '../rules.ts';

/** The most pages one Steal takes. */
export const MAX_STEAL_PAGES = 2;

/** The six reasons of the thread, in the order Steal checks them, plus a page that is not there at all. */
export type StealRefusal =
  | 'in-hypercall'
  | 'provided-by-other'
  | 'mmio'
  | 'foreign-mapped'
  | 'granted'
  | 'accessible'
  | 'not-present';

const REFUSAL_ERRNO: Record<StealRefusal, Errno> = {
  'in-hypercall': 'EBUSY',
  'provided-by-other': 'EPERM',
  mmio: 'EINVAL',
  'foreign-mapped': 'EBUSY',
  granted: 'EBUSY',
  accessible: 'EBUSY',
  'not-present': 'ENOENT',
};

/**
 * Whether a DMA in flight from a device of a domain other than `dom` names the frame. In-flight DMAs
 * hold no page reference (the IOTLB flush waits for them instead), so the refcount cannot show them.
 */
function dmaByOthers(state: State, mfn: number, dom: DomId): boolean {
  return state.virtio!.dmas.some((x) => x.mfn === mfn && x.by !== dom && state.domains[x.by].state === 'alive');
}

/**
 * Why `dom`'s page at `gfn` may not be stolen, or undefined when it may. With `narrow` (Roger's
 * reading of the precondition) only the page's own type and owner are checked.
 */
export function stealRefusal(state: State, dom: DomId, gfn: number, narrow = false): StealRefusal | undefined {
  const e = state.domains[dom].p2m[gfn];
  if (e === null || e === undefined) return 'not-present';
  const v = state.virtio!;
  const f = state.frames[e.mfn];
  if (narrow) return f.kind === 'mmio' || e.type !== 'ram_rw' || e.map !== undefined || f.owner.kind !== 'dom' || f.owner.dom !== dom ? 'mmio' : undefined;
  if (v.hypercalls.some((h) => h.mfn === e.mfn)) return 'in-hypercall';
  if (e.map !== undefined || e.grant !== undefined || e.foreign !== undefined) return 'provided-by-other';
  if (f.kind === 'mmio' || e.type !== 'ram_rw' || f.owner.kind !== 'dom' || f.owner.dom !== dom) return 'mmio';
  for (const d of state.domains) {
    if (d.p2m.some((x) => x !== null && x.type === 'foreign' && x.mfn === e.mfn)) return 'foreign-mapped';
  }
  if (state.domains[dom].grants.some((g) => g !== null && g.gfn === gfn)) return 'granted';
  // Every mapping of RAM takes a reference, so the frontend's own entry must be the only one (steal_page).
  if (f.refcount !== 1 || dmaByOthers(state, e.mfn, dom)) return 'accessible';
  return undefined;
}

/** Steal's resolved arguments. */
export type StealArgs = { backend: number; dom: number; gfns: number[]; backendGfns: number[] };

/** Validate Steal's arguments apart from the pages themselves; a refusal, or undefined. */
export function checkStealArgs(state: State, { backend, dom, gfns, backendGfns }: StealArgs): OpResult | undefined {
  if (!isAlive(state, backend) || !isAlive(state, dom)) return fail('ESRCH');
  if (dom === backend) return fail('EINVAL');
  if (!isTargetOf(state, backend, dom)) return fail('EPERM');
  if (!Array.isArray(gfns) || !Array.isArray(backendGfns)) return fail('EINVAL');
  const n = gfns.length;
  if (n === 0 || n > MAX_STEAL_PAGES || backendGfns.length !== n) return fail('EINVAL');
  const p2m = state.domains[dom].p2m;
  if (new Set(gfns).size !== n || gfns.some((g) => !Number.isInteger(g) || g < 0 || g >= p2m.length)) return fail('EINVAL');
  if (new Set(backendGfns).size !== n || backendGfns.some((g) => !emptySlot(state, backend, g))) return fail('EEXIST');
  return undefined;
}

/** Steal: the backend takes `gfns` of the frontend `dom`, mapping each at one of its `backendGfns`. */
export const steal = defineOp({
  name: 'steal',
  actor: 'backend',
  weight: 3,
  doc: "backend steals dom's RAM pages: they become backend-owned, mapped in the backend, and Mapped in dom; quota moves",
  gen: { gfn: { kind: 'pick' }, other: { kind: 'pick' }, two: { kind: 'bool' } },
  resolve(state, raw) {
    const v = state.virtio;
    if (v === undefined || !isAlive(state, v.backend) || !isAlive(state, v.frontend)) return null;
    const present: number[] = [];
    state.domains[v.frontend].p2m.forEach((e, g) => e !== null && present.push(g));
    const first = pickFrom(present, raw.gfn);
    if (first === undefined) return null;
    const rest = present.filter((g) => g !== first);
    const second = raw.two ? pickFrom(rest, raw.other) : undefined;
    const gfns = second === undefined ? [first] : [first, second];
    const empty = emptyGfns(state, v.backend);
    if (empty.length < gfns.length) return null;
    return { backend: v.backend, dom: v.frontend, gfns, backendGfns: empty.slice(0, gfns.length) };
  },
  enabled: (state, a) => isAlive(state, a.backend),
  apply(state, args, ctx) {
    const v = state.virtio;
    if (v === undefined || !virtioConfig(ctx.knobs).steal || args.backend !== v.backend) return fail('EOPNOTSUPP');
    const bad = checkStealArgs(state, args);
    if (bad !== undefined) return bad;
    const { backend, dom, gfns, backendGfns } = args;
    // Every page is checked before any changes: a Steal that fails changes nothing.
    for (const gfn of gfns) {
      const why = ruleOf(VIRTIO_RULES, ctx, 'stealRefusal')(state, dom, gfn, virtioConfig(ctx.knobs).stealCheck === 'ram-rw-only');
      if (why === undefined) continue;
      ctx.note(`steal-refused-${why}`);
      return fail(REFUSAL_ERRNO[why]);
    }
    const b = state.domains[backend];
    const d = state.domains[dom];
    if (b.totPages + gfns.length > b.maxPages) {
      ctx.note('steal-refused-backend-quota');
      return fail('ENOMEM');
    }
    let first = -1;
    gfns.forEach((gfn, i) => {
      const e = d.p2m[gfn]!;
      const f = state.frames[e.mfn];
      f.owner = domOwner(backend);
      if (virtioConfig(ctx.knobs).stealQuota) {
        d.totPages -= 1;
        b.totPages += 1;
      }
      // The frontend's own reference passes to the backend's new mapping; the Map takes one more.
      d.p2m[gfn] = null;
      b.p2m[backendGfns[i]] = { mfn: e.mfn, type: 'ram_rw', gen: f.gen, counted: true };
      const handle = installMap(state, v, { provider: backend, parent: -1, mfn: e.mfn, gen: f.gen, dom, gfn, type: mapType(ctx.knobs) });
      if (first < 0) first = handle;
      v.stolen.push({ mfn: e.mfn, gen: f.gen });
    });
    pruneStolen(state);
    flushAndWait(state);
    ctx.note('steal-succeeded');
    return okValue(first);
  },
});

/** Forget stolen frames the backend no longer owns at the generation it stole them (freed since). */
function pruneStolen(state: State): void {
  const v = state.virtio!;
  v.stolen = v.stolen.filter((s) => {
    const f = state.frames[s.mfn];
    return f.gen === s.gen && f.owner.kind === 'dom' && f.owner.dom === v.backend;
  });
}

/** How many of the backend's own p2m entries (not grant, foreign or Map entries) map the frame. */
function ownEntries(state: State, backend: DomId, mfn: number): number {
  let n = 0;
  for (const own of state.domains[backend].p2m) {
    if (own === null || own.mfn !== mfn || !own.counted) continue;
    if (own.grant === undefined && own.foreign === undefined && own.map === undefined) n += 1;
  }
  return n;
}

/**
 * Whether the RAM page of a backend's direct Map is shared beyond what Return accounts for: the
 * backend's own mappings, which it drops, and the Map's entry, which becomes the recipient's RAM entry.
 * Any other reference (a grant, foreign or IOMMU mapping, a hypercall in flight, another Map), or a DMA
 * in flight by a device of neither party, makes it shared.
 */
export function returnShared(state: State, m: VirtioMap): boolean {
  const accounted = ownEntries(state, m.provider, m.mfn) + 1;
  return state.frames[m.mfn].refcount !== accounted || dmaByOthers(state, m.mfn, m.dom);
}

/** Return: the backend gives the page its Map `handle` shows to the frontend, for good. */
export const returnPages = defineOp({
  name: 'returnPages',
  actor: 'backend',
  weight: 2,
  doc: "backend returns the RAM page of its Map handle to the Mapped domain: owner, quota and a ram_rw entry move to it",
  gen: { map: { kind: 'pick' } },
  resolve: (state, raw) => resolveDirectMap(state, raw),
  enabled: (state, a) => isAlive(state, a.backend),
  apply(state, { backend, handle }, ctx) {
    const v = state.virtio;
    if (v === undefined || !virtioConfig(ctx.knobs).steal || backend !== v.backend) return fail('EOPNOTSUPP');
    if (!isAlive(state, backend)) return fail('ESRCH');
    const m = v.maps[handle];
    if (m === null || m === undefined) return fail('ENOENT');
    if (m.provider !== backend || m.parent >= 0) return fail('EPERM');
    if (!isAlive(state, m.dom)) return fail('ESRCH');
    const d = state.domains[m.dom];
    const e = d.p2m[m.gfn];
    if (e === null || e.map?.handle !== handle) return fail('ENOENT');
    const f = state.frames[m.mfn];
    if (f.kind !== 'ram') {
      ctx.note('return-of-bar-refused');
      return fail('EINVAL');
    }
    if (f.owner.kind !== 'dom' || f.owner.dom !== backend) return fail('EPERM');
    if (descendants(v, handle).length > 0) {
      ctx.note('return-refused-onward-maps');
      return fail('EBUSY');
    }
    if (d.totPages >= d.maxPages) return fail('ENOMEM');
    if (returnShared(state, m)) {
      ctx.note('return-refused-shared');
      return fail('EBUSY');
    }
    pruneStolen(state);
    const wasStolen = v.stolen.some((s) => s.mfn === m.mfn && s.gen === f.gen);
    v.stolen = v.stolen.filter((s) => s.mfn !== m.mfn);
    const b = state.domains[backend];
    for (let g = 0; g < b.p2m.length; g++) {
      const own = b.p2m[g];
      if (own === null || own.mfn !== m.mfn || own.grant !== undefined || own.foreign !== undefined) continue;
      b.p2m[g] = null;
      if (own.counted) putRef(state, own.mfn);
    }
    f.owner = domOwner(m.dom);
    b.totPages -= 1;
    d.totPages += 1;
    d.p2m[m.gfn] = { mfn: m.mfn, type: 'ram_rw', gen: f.gen, counted: true };
    v.maps[handle] = null;
    if (wasStolen) ctx.note('return-after-steal');
    return okValue(m.mfn);
  },
});
