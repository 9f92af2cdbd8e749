/**
 * Domain life cycle (XEN_DOMCTL_createdomain / destroydomain), issued by the toolstack. Destroying a
 * domain tears down its mappings of others, drops its p2m references and leaves it 'dying' while anyone
 * still holds a reference to one of its frames: frames are freed only when their last reference goes.
 */
import { putRef } from '../frames.ts';
import { isAlive } from '../lookup.ts';
import type { DomId, State } from '../state.ts';
import type { DestroyStep, Teardown } from '../teardown.ts';
import { NO_TEARDOWN } from '../teardown.ts';
import { clearDmaTable } from './dmaAddress.ts';
import { releaseGrantMappings } from './grantRelease.ts';
import { defineOp, fail, OK, okValue } from '../op.ts';
import type { OpContext } from '../op.ts';

/** Bring the next spare domain id to life as an empty HVM guest (the fuzzer populates it). */
export const createDomain = defineOp({
  name: 'createDomain',
  actor: 'toolstack',
  weight: 1,
  doc: 'toolstack creates an empty HVM guest with the next spare domain id',
  gen: {},
  resolve(state) {
    const dom = state.domains.findIndex((d) => d.state === 'none');
    return dom < 0 ? null : { dom };
  },
  enabled: () => true,
  apply(state, { dom }) {
    const d = state.domains[dom];
    if (d === undefined || d.state !== 'none') return fail('EEXIST');
    d.state = 'alive';
    return okValue(dom);
  },
});

/** A core step of a domain's destruction: it reads the op's context (its knobs and rules) only when given one. */
interface CoreDestroyStep extends DestroyStep {
  run(state: State, dom: DomId, ctx?: OpContext): void;
}

/** Empty a table of p2m or IOMMU entries in index order, putting the frame of each counted one. */
function dropEntries(state: State, table: ({ mfn: number; counted: boolean } | null)[]): void {
  for (let i = 0; i < table.length; i++) {
    const e = table[i];
    if (e === null) continue;
    table[i] = null;
    if (e.counted) putRef(state, e.mfn);
  }
}

function coreStep(name: string, doc: string, run: (state: State, dom: DomId, ctx?: OpContext) => void): CoreDestroyStep {
  return { name, doc, run };
}

/**
 * What the core does to a destroyed domain, in order, after the design's own steps (`Teardown`): the
 * domain is dying from the first step on, and dead at the last only if nobody else holds its frames.
 */
export const CORE_DESTROY_STEPS: readonly CoreDestroyStep[] = Object.freeze([
  coreStep('mark dying', 'the domain stops running; its id stays taken while others hold its frames', (state, dom) => {
    state.domains[dom].state = 'dying';
  }),
  coreStep(
    'unmap its grant mappings',
    "gnttab_release_mappings: each mapping in its maptrack is released, both halves, their references, type references and pins, so its granters can end access",
    (state, dom, ctx) => releaseGrantMappings(state, dom, ctx),
  ),
  coreStep('drop its p2m references', 'every p2m entry goes, and the counted ones put their frame', (state, dom) => {
    dropEntries(state, state.domains[dom].p2m);
  }),
  coreStep('drop its IOMMU references', 'every IOMMU entry goes, and the counted ones put their frame', (state, dom) => {
    dropEntries(state, state.domains[dom].iommu);
  }),
  coreStep('drop its unmapped grants', 'a grant nobody maps dies with its granter; a mapped one lives on until it is unmapped', (state, dom) => {
    const d = state.domains[dom];
    d.grants = d.grants.map((g) => (g !== null && g.maps > 0 ? g : null));
  }),
  coreStep(
    'drop its GPU DMA tables',
    "the device model dies with its backend, and is told when a client dies (XenGT's vgt_release_instance) and drops that client's table; ballooning it is not told of: the seed's race",
    (state, dom) => {
      if (state.gpu.backend === dom) {
        for (const key in state.gpu.tables) clearDmaTable(state, Number(key));
      } else if (state.gpu.tables[dom] !== undefined) {
        clearDmaTable(state, dom);
      }
    },
  ),
  coreStep('dead if it holds no pages', 'otherwise it stays dying until the last reference to one of its frames goes', (state, dom) => {
    const d = state.domains[dom];
    if (d.totPages === 0) d.state = 'dead';
  }),
]);

/** Tear down everything a domain holds (the core's steps only), leaving it dying until others release its frames. */
export function teardownDomain(state: State, dom: DomId): void {
  for (const step of CORE_DESTROY_STEPS) step.run(state, dom);
}

/**
 * Destroy a guest (XEN_DOMCTL_destroydomain) in a design: dom0 cannot be destroyed; otherwise the
 * design's destroy steps run in order, then the core's. Its doc names the design's steps.
 */
export function makeDestroyDomain(t: Teardown) {
  const steps = [...t.destroyDomain, ...CORE_DESTROY_STEPS];
  const first = t.destroyDomain.map((s) => s.name).join(', ');
  return defineOp({
    name: 'destroyDomain',
    actor: 'toolstack',
    weight: 1,
    doc: first === ''
      ? 'toolstack destroys dom; its frames are freed as their last references go'
      : `toolstack destroys dom: first ${first}, then its frames are freed as their last references go`,
    gen: { dom: { kind: 'dom' } },
    resolve(state, raw) {
      const dom = raw.dom;
      return isAlive(state, dom) && dom !== 0 ? { dom } : null;
    },
    enabled: () => true,
    apply(state, { dom }, ctx) {
      if (dom === 0) return fail('EPERM');
      if (!isAlive(state, dom)) return fail('ESRCH');
      for (const step of steps) step.run(state, dom, ctx);
      if (state.domains[dom].state === 'dying') ctx.note('destroyed-domain-frames-still-held');
      return OK;
    },
  });
}

/** Destroy a guest, with no slice taking part: the core's steps only. */
export const destroyDomain = makeDestroyDomain(NO_TEARDOWN);
