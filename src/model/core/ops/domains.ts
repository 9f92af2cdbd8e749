/**
 * Domain life cycle (XEN_DOMCTL_createdomain / destroydomain), issued by the toolstack. Destroying a
 * domain tears down its mappings of others, drops its p2m references and leaves it 'dying' while anyone
 * still holds a reference to one of its frames: frames are freed only when their last reference goes.
 */
import { putRef } from '../frames.ts';
import { isAlive } from '../lookup.ts';
import type { State } from '../state.ts';
import { clearDmaTable } from './dmaAddress.ts';
import { releaseMapping } from './grants.ts';
import { defineOp, fail, OK, okValue } from '../op.ts';

/** Bring the next spare domain id to life as an empty HVM guest (the fuzzer populates it). */
export const createDomain = defineOp<{ dom: number }>({
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

/** Tear down everything a domain holds, leaving it dying until its own frames are released by others. */
export function teardownDomain(state: State, dom: number): void {
  const d = state.domains[dom];
  d.state = 'dying';
  for (let handle = 0; handle < d.maptrack.length; handle++) {
    if (d.maptrack[handle] !== null) releaseMapping(state, dom, handle);
  }
  for (let gfn = 0; gfn < d.p2m.length; gfn++) {
    const e = d.p2m[gfn];
    if (e === null) continue;
    d.p2m[gfn] = null;
    if (e.counted) putRef(state, e.mfn);
  }
  for (let bfn = 0; bfn < d.iommu.length; bfn++) {
    const e = d.iommu[bfn];
    if (e === null) continue;
    d.iommu[bfn] = null;
    if (e.counted) putRef(state, e.mfn);
  }
  // A grant nobody maps dies with its granter; a mapped one lives on until it is unmapped.
  d.grants = d.grants.map((g) => (g !== null && g.maps > 0 ? g : null));
  // The device model dies with its backend, and is told when a client dies (XenGT's
  // vgt_release_instance) and drops that client's table. Ballooning it is not told of: the seed's race.
  if (state.gpu.backend === dom) {
    for (const key in state.gpu.tables) clearDmaTable(state, Number(key));
  } else if (state.gpu.tables[dom] !== undefined) {
    clearDmaTable(state, dom);
  }
  if (d.totPages === 0) d.state = 'dead';
}

/** Destroy a guest. dom0 cannot be destroyed. */
export const destroyDomain = defineOp<{ dom: number }>({
  name: 'destroyDomain',
  actor: 'toolstack',
  weight: 1,
  doc: 'toolstack destroys dom; its frames are freed as their last references go',
  gen: { dom: { kind: 'dom' } },
  resolve(state, raw) {
    const dom = raw.dom as number;
    return isAlive(state, dom) && dom !== 0 ? { dom } : null;
  },
  enabled: () => true,
  apply(state, { dom }, ctx) {
    if (dom === 0) return fail('EPERM');
    if (!isAlive(state, dom)) return fail('ESRCH');
    teardownDomain(state, dom);
    if (state.domains[dom].state === 'dying') ctx.note('destroyed-domain-frames-still-held');
    return OK;
  },
});
