/**
 * Target lists (XEN_DOMCTL_set_target, extended to a list as the XenGT thread proposes): which domains
 * a backend is privileged for. Issued by the toolstack. Removing a target while the backend still holds
 * mappings Xen knows of (foreign maps, map-for-DMA entries) is refused: those mappings would outlive the
 * privilege that allowed them.
 */
import { iotlbCachesFramesOf } from '../device/iotlb.ts';
import { isAlive } from '../lookup.ts';
import type { State } from '../state.ts';
import { defineOp, fail, OK } from '../op.ts';
import type { OpContext, OpResult } from '../op.ts';

/** Whether `backend` holds a Xen-tracked mapping of one of `dom`'s frames. */
export function holdsMappingsOf(state: State, backend: number, dom: number): boolean {
  const b = state.domains[backend];
  for (const e of b.p2m) if (e !== null && e.foreign?.dom === dom) return true;
  for (const e of b.iommu) if (e !== null && e.source.kind === 'mapForDma' && e.source.dom === dom) return true;
  return false;
}

/** Give the device model a DMA table for a new client, so a backend can serve every domain it targets. */
function ensureClientTable(state: State, backend: number, dom: number, slots: number): void {
  if (backend === state.gpu.backend && state.gpu.tables[dom] === undefined) {
    state.gpu.tables[dom] = new Array(slots).fill(null);
  }
}

type TargetArgs = { backend: number; dom: number };

/** The three target-list domctls share actor, arguments and resolution; only their effect differs. */
function targetOp(name: string, doc: string, apply: (state: State, a: TargetArgs, ctx: OpContext) => OpResult) {
  return defineOp({
    name,
    actor: 'toolstack',
    weight: 1,
    doc,
    gen: { backend: { kind: 'dom' }, dom: { kind: 'dom' } },
    resolve(state, raw) {
      const backend = raw.backend;
      const dom = raw.dom;
      return isAlive(state, backend) && backend !== dom ? { backend, dom } : null;
    },
    enabled: (state, a) => isAlive(state, a.backend),
    apply,
  });
}

function checkPair(state: State, { backend, dom }: TargetArgs): OpResult | undefined {
  if (!isAlive(state, backend) || !isAlive(state, dom)) return fail('ESRCH');
  if (backend === dom) return fail('EINVAL');
  return undefined;
}

/** XEN_DOMCTL_set_target: the backend's target list becomes exactly [dom]. */
export const setTarget = targetOp('setTarget', "toolstack makes dom the backend's only target", (state, a, ctx) => {
  const bad = checkPair(state, a);
  if (bad) return bad;
  const b = state.domains[a.backend];
  if (b.targets.some((t) => t !== a.dom && (holdsMappingsOf(state, a.backend, t) || iotlbCachesFramesOf(state, `dom${a.backend}`, t)))) return fail('EBUSY');
  b.targets = [a.dom];
  ensureClientTable(state, a.backend, a.dom, ctx.scope.dmaSlots);
  return OK;
});

/** Add dom to the backend's target list. */
export const addTarget = targetOp('addTarget', "toolstack adds dom to the backend's target list", (state, a, ctx) => {
  const bad = checkPair(state, a);
  if (bad) return bad;
  const b = state.domains[a.backend];
  if (b.targets.includes(a.dom)) return fail('EEXIST');
  b.targets.push(a.dom);
  ensureClientTable(state, a.backend, a.dom, ctx.scope.dmaSlots);
  return OK;
});

/** Remove dom from the backend's target list; refused while the backend still maps dom's frames. */
export const removeTarget = targetOp(
  'removeTarget',
  "toolstack removes dom from the backend's target list (EBUSY while the backend maps dom's frames)",
  (state, { backend, dom }, ctx) => {
    if (!isAlive(state, backend)) return fail('ESRCH');
    const b = state.domains[backend];
    if (!b.targets.includes(dom)) return fail('ENOENT');
    // A translation the backend's IOTLB still caches is a mapping until it is flushed.
    if (holdsMappingsOf(state, backend, dom) || iotlbCachesFramesOf(state, `dom${backend}`, dom)) {
      ctx.note('remove-target-refused-while-mapped');
      return fail('EBUSY');
    }
    b.targets = b.targets.filter((t) => t !== dom);
    return OK;
  },
);
