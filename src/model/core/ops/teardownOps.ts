/**
 * The core ops a design's `Teardown` takes part in, built for that teardown: ballooning out runs the
 * balloon-out steps around the core's release; populate_physmap, a foreign map and a grant host
 * mapping run the fill checks for the GFN they fill; the allocator runs the allocation steps for the
 * frame it hands out; destroyDomain runs the destroy steps (see `makeDestroyDomain`). With no steps
 * each is the core op itself. `coreOpsWith` is the core op list with these in their usual places.
 */
import type { ArgRecord, GenSpec, OpDef } from '../op.ts';
import type { DomId } from '../state.ts';
import type { Teardown } from '../teardown.ts';
import { checkFill, NO_TEARDOWN, runAllocSteps, withFillDocs } from '../teardown.ts';
import { CORE_OPS } from './coreOps.ts';
import { CORE_DESTROY_STEPS, makeDestroyDomain } from './domains.ts';
import { mapForeign } from './foreign.ts';
import { mapGrant } from './grants.ts';
import { decreaseReservation, populatePhysmap, xenAllocPage } from './memory.ts';

/** `op` refusing, before anything else, when a fill check refuses the GFN `at(args)` names. */
function checkingFill<A extends ArgRecord, G extends GenSpec>(t: Teardown, op: OpDef<A, G>, at: (a: A) => [DomId, number]): OpDef<A, G> {
  if (t.fillGfn.length === 0) return op;
  return {
    ...op,
    doc: withFillDocs(t, op.doc),
    apply(state, args, ctx) {
      const [dom, gfn] = at(args);
      return checkFill(t, state, dom, gfn, ctx) ?? op.apply(state, args, ctx);
    },
  };
}

/** XENMEM_decrease_reservation with the design's balloon-out steps: each `before` first, each `after` once it succeeded. */
export function makeDecreaseReservation(t: Teardown): typeof decreaseReservation {
  if (t.balloonOut.length === 0) return decreaseReservation;
  return {
    ...decreaseReservation,
    apply(state, args, ctx) {
      for (const step of t.balloonOut) step.before?.(state, args.dom, args.gfn, ctx);
      const result = decreaseReservation.apply(state, args, ctx);
      if (result.ok) for (const step of t.balloonOut) step.after?.(state, args.dom, args.gfn, ctx);
      return result;
    },
  };
}

/** XENMEM_populate_physmap with the design's fill checks, then its allocation steps, before the core's. */
export function makePopulatePhysmap(t: Teardown): typeof populatePhysmap {
  const allocating: typeof populatePhysmap =
    t.allocFrame.length === 0
      ? populatePhysmap
      : {
          ...populatePhysmap,
          apply(state, args, ctx) {
            runAllocSteps(t, state, args.mfn, { dom: args.dom, gfn: args.gfn }, ctx);
            return populatePhysmap.apply(state, args, ctx);
          },
        };
  return checkingFill(t, allocating, (a) => [a.dom, a.gfn]);
}

/** Xen taking a free frame, with the design's allocation steps first. */
export function makeXenAllocPage(t: Teardown): typeof xenAllocPage {
  if (t.allocFrame.length === 0) return xenAllocPage;
  return {
    ...xenAllocPage,
    apply(state, args, ctx) {
      runAllocSteps(t, state, args.mfn, undefined, ctx);
      return xenAllocPage.apply(state, args, ctx);
    },
  };
}

/** A foreign map, with the design's fill checks on the caller's GFN it fills. */
export function makeMapForeign(t: Teardown): typeof mapForeign {
  return checkingFill(t, mapForeign, (a) => [a.caller, a.callerGfn]);
}

/** A grant map, with the design's fill checks on the grantee's host GFN (-1 when it maps for the device only). */
export function makeMapGrant(t: Teardown): typeof mapGrant {
  return checkingFill(t, mapGrant, (a) => [a.grantee, a.hostGfn]);
}

/** The core ops for a design's teardown, in `CORE_OPS` order. */
export function coreOpsWith(t: Teardown): OpDef[] {
  const built: Record<string, OpDef> = {
    populatePhysmap: makePopulatePhysmap(t),
    decreaseReservation: makeDecreaseReservation(t),
    xenAllocPage: makeXenAllocPage(t),
    mapForeign: makeMapForeign(t),
    mapGrant: makeMapGrant(t),
    destroyDomain: makeDestroyDomain(t),
  };
  return CORE_OPS.map((op) => built[op.name] ?? op);
}

/**
 * A design's teardown in words, one line per core op it changes, each step in the order it runs:
 * `destroyDomain: release its vGPU → mark dying → unmap its grant mappings → …`. Lists with no
 * step of the design's are left out, except destroyDomain, whose core steps are always shown.
 */
export function describeTeardown(t: Teardown = NO_TEARDOWN): string[] {
  const out = [`destroyDomain: ${[...t.destroyDomain, ...CORE_DESTROY_STEPS].map((s) => s.name).join(' → ')}`];
  if (t.balloonOut.length > 0) {
    const before = t.balloonOut.filter((s) => s.before !== undefined).map((s) => s.name);
    const after = t.balloonOut.filter((s) => s.after !== undefined).map((s) => s.name);
    out.push(`decreaseReservation: ${[...before, 'drop the p2m entry and put its frame', ...after.map((a) => `${a}, once it succeeded`)].join(' → ')}`);
  }
  if (t.fillGfn.length > 0) out.push(`populatePhysmap, mapForeign, mapGrant: ${t.fillGfn.map((s) => s.name).join(' → ')} → fill the GFN`);
  if (t.allocFrame.length > 0) out.push(`populatePhysmap, xenAllocPage: ${t.allocFrame.map((s) => s.name).join(' → ')} → allocate the frame`);
  return out;
}
