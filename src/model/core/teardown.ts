/**
 * What destroying a domain, ballooning a page out and filling a GFN do in a design, as ordered lists of
 * named steps that slices contribute and a design lists — so the whole sequence is read in one place
 * (`describeTeardown`) instead of being spread over op wrappers. The core ops run the steps at fixed
 * points: `destroyDomain` runs the design's steps once the domain is known to be destroyable and
 * before the core's own steps (`CORE_DESTROY_STEPS`); the others run theirs before the core's checks,
 * which is where the device model and the RMRR guard have always stood.
 */
import type { DomId, State } from './state.ts';
import type { Errno, OpContext, OpResult } from './op.ts';

/** One named step of a domain's destruction. */
export interface DestroyStep {
  /** A few words for the ordered list, e.g. 'release vGPU'. */
  name: string;
  /** What the step does and why it comes where it does. */
  doc: string;
  run(state: State, dom: DomId, ctx: OpContext): void;
}

/** A step around XENMEM_decrease_reservation of `gfn` of `dom`: `before` runs first, `after` only when it succeeded. */
export interface BalloonOutStep {
  name: string;
  doc: string;
  before?(state: State, dom: DomId, gfn: number, ctx: OpContext): void;
  after?(state: State, dom: DomId, gfn: number, ctx: OpContext): void;
}

/**
 * A check before something is put at `gfn` of `dom` (RAM by populate_physmap, a foreign map, a grant
 * host mapping): an error code refuses the op before it changes anything.
 */
export interface GfnFillStep {
  name: string;
  doc: string;
  check(state: State, dom: DomId, gfn: number, ctx: OpContext): Errno | undefined;
}

/** A step before the allocator hands out frame `mfn`, to `at` (populate_physmap) or to Xen itself (no `at`). */
export interface FrameAllocStep {
  name: string;
  doc: string;
  run(state: State, mfn: number, at: { dom: DomId; gfn: number } | undefined, ctx: OpContext): void;
}

/** A design's teardown and p2m-change steps, each list in the order it runs. */
export interface Teardown {
  destroyDomain: readonly DestroyStep[];
  balloonOut: readonly BalloonOutStep[];
  fillGfn: readonly GfnFillStep[];
  allocFrame: readonly FrameAllocStep[];
}

/** A design whose slices add nothing: the core ops as they are. */
export const NO_TEARDOWN: Teardown = Object.freeze({ destroyDomain: [], balloonOut: [], fillGfn: [], allocFrame: [] });

/** Join the steps of several slices, each list in slice order. */
export function joinTeardowns(...parts: readonly Partial<Teardown>[]): Teardown {
  return {
    destroyDomain: parts.flatMap((p) => p.destroyDomain ?? []),
    balloonOut: parts.flatMap((p) => p.balloonOut ?? []),
    fillGfn: parts.flatMap((p) => p.fillGfn ?? []),
    allocFrame: parts.flatMap((p) => p.allocFrame ?? []),
  };
}

/** Run the fill checks for `gfn` of `dom`; the first refusal wins and is the op's answer. */
export function checkFill(t: Teardown, state: State, dom: DomId, gfn: number, ctx: OpContext): OpResult | undefined {
  for (const step of t.fillGfn) {
    const err = step.check(state, dom, gfn, ctx);
    if (err !== undefined) return { ok: false, err };
  }
  return undefined;
}

/** Run the steps before frame `mfn` is handed out. */
export function runAllocSteps(t: Teardown, state: State, mfn: number, at: { dom: DomId; gfn: number } | undefined, ctx: OpContext): void {
  for (const step of t.allocFrame) step.run(state, mfn, at, ctx);
}

/** An op's doc with what the design's fill checks add to it. */
export function withFillDocs(t: Teardown, doc: string): string {
  return t.fillGfn.reduce((out, step) => `${out}; ${step.doc}`, doc);
}
