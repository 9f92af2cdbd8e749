/**
 * `xen-map-for-dma`: Tim Deegan's answer (seed 000, 2014-12-11 16:46): the backend names (domid, gfn);
 * Xen checks the caller is privileged for that domain (a target list), takes a reference and maps the
 * frame into the caller's IOMMU at a BFN it returns; unmap drops the reference. The backend runs in a
 * PVH dom0 / driver domain whose IOMMU holds only what was mapped — levels 0 and 1 of his mail of
 * 2014-12-11 21:29 are then enforced by Xen, even against a compromised backend (properties/levels.test.ts).
 *
 * What the model follows is the thread's proposal, not today's Xen: the target *list* (Xen has one
 * `d->target`, set once by XEN_DOMCTL_set_target), and a backend that is a de-privileged device-model
 * domain. With `backendPrivilege=control-domain` the backend is dom0 as Xen's default XSM policy has
 * it (xsm_default_action, XSM_TARGET: `src->is_privileged` passes), and Xen refuses it nothing.
 */
import { DEFAULT_CLIENTS, buildWorld } from '../world.ts';
import { CORE_OPS } from '../ops/coreOps.ts';
import { mapForDma } from '../ops/dmaAddress.ts';
import { makeShadowClear, makeShadowSet } from '../ops/dmaTableOps.ts';
import { CORE_INVARIANT_IDS } from './coreInvariants.ts';
import type { Design, Expectation } from '../design.ts';
import { CORE_KNOBS, coreConfig } from '../knobs.ts';
import { shadowSetAt } from '../ops/dmaAtOps.ts';
import { freeBeforeFlushExpectations, IOTLB_KNOBS, withIotlb } from '../device/knobs.ts';
import { gpuQueuedDma, iommuFlush } from '../device/ops.ts';
import { makeShadowClearBatch, makeShadowSetBatch } from '../ops/dmaBatchOps.ts';
import { forgeDmaEntry, makeDmaMapAny } from '../ops/compromisedBackend.ts';
import { withAdversary } from '../adversary.ts';
import { ADVERSARY_DESIGN_KNOBS, LEVEL_INVARIANT_IDS } from '../adversaryDesigns.ts';
import { mapForDmaLevels } from './levelExpectations.ts';

/** The map-for-DMA hypercall. */
export const xenMapForDma: Design = {
  id: 'xen-map-for-dma',
  title: 'map-for-DMA: Xen checks the target list, takes a reference, returns a BFN',
  description:
    "The device model asks Xen to map (domid, gfn) into its IOMMU and programs the returned BFN; unmapping drops the reference, so a ballooned-out page stays allocated until the GPU is done with it. The target list and the de-privileged backend are the proposal's (Xen has one set-once d->target; a control-domain backend passes XSM_TARGET for any domain: backendPrivilege=control-domain).",
  source: 'seed 000: Tim Deegan 2014-12-09 10:46 and 2014-12-11 16:46, 21:29 (levels 0 and 1)',
  knobs: {
    checkTarget: {
      description: 'Xen refuses to map domains that are not on the caller\'s target list (IS_PRIV_FOR)',
      values: [true, false],
      default: true,
    },
    backendIommu: CORE_KNOBS.backendIommu,
    checkCollision: CORE_KNOBS.checkCollision,
    getPageFirst: CORE_KNOBS.getPageFirst,
    ...IOTLB_KNOBS,
    ...ADVERSARY_DESIGN_KNOBS,
  },
  // backendIommu=shared-ept and freeBeforeFlush=true are run with --set (and by their tests): some of
  // their findings take four to six actions, more than the smallest budgets reliably find.
  variants: [{ checkTarget: false }, { checkCollision: false }, { getPageFirst: true }, { iotlbFlush: 'batch' }],
  ops: [
    ...CORE_OPS,
    makeShadowSet(mapForDma),
    makeShadowClear(mapForDma),
    makeShadowSetBatch(mapForDma),
    makeShadowClearBatch(mapForDma),
    shadowSetAt,
    iommuFlush,
    gpuQueuedDma,
    forgeDmaEntry,
    makeDmaMapAny(mapForDma),
  ],
  invariants: [...CORE_INVARIANT_IDS, 'iotlb-flushed-before-free', ...LEVEL_INVARIANT_IDS],
  expect: (knobs): Record<string, Expectation> => {
    const out: Record<string, Expectation> = {};
    if (!coreConfig(knobs).checkTarget) {
      out['no-foreign-reach'] = {
        verdict: 'violated',
        why: 'checkTarget=false: Xen maps any domain for the backend, so its GPU reaches non-clients (level 1 lost)',
      };
    }
    const c = coreConfig(knobs);
    if (c.backendIommu === 'shared-ept') {
      out['no-stale-reference'] = {
        verdict: 'violated',
        why: "backendIommu=shared-ept: the GPU's bus addresses are GFNs of the backend's own p2m, so the backend's unmapForeign of one and a later map-for-DMA at the same GFN leave another client's table slot naming the new frame (the GPA conflicts Jan Beulich and Kevin Tian discuss)",
      };
    }
    if (c.getPageFirst) {
      const why = 'getPageFirst: map-for-DMA takes the page reference before the target check and its EPERM path never drops it';
      out['refused-op-changes-nothing'] = { verdict: 'violated', why: `${why}, so a refused map changed a refcount` };
      out['refcounts-match-refs'] = { verdict: 'violated', why: `${why}: the frame's count exceeds its references (a leak)` };
    }
    if (!c.checkCollision) {
      out['refcounts-match-refs'] = {
        verdict: 'violated',
        why: "checkCollision=false: Xen maps at the caller's address over an entry already there, and the page that entry referenced is orphaned with its reference never dropped",
      };
      out['type-ok'] = {
        verdict: 'violated',
        why: "checkCollision=false: Xen takes an address past the end of the backend's table as given, and the DMA table names a bus address outside the IOMMU",
      };
      out['level-2-clients-isolated'] = {
        verdict: 'violated',
        why: "checkCollision=false: a map at an address another client's DMA table slot already names overwrites that entry, so the first client's slot now reaches the second client's frame",
      };
    }
    return { ...mapForDmaLevels(knobs), ...out, ...freeBeforeFlushExpectations(knobs) };
  },
  buildWorld: (scope, knobs) => {
    const s = buildWorld(scope, { backendKind: 'pvh', clients: [...DEFAULT_CLIENTS] });
    // A PVH backend's IOMMU is its p2m (seed 000, Tim Deegan 2014-12-11); a PV one keeps separate tables.
    if (coreConfig(knobs).backendIommu === 'shared-ept') s.domains[0].iommuPt = 'shared-ept';
    return withIotlb(withAdversary(s, knobs), knobs);
  },
  // The race (balloon out while the DMA table holds the page, the frame handed out again) and, when Xen checks targets, a refused non-target map.
  sometimes: (knobs) => ['mapped-or-shadowed-gfn-ballooned', 'freed-frame-reallocated', ...(coreConfig(knobs).checkTarget ? ['non-target-map-refused'] : [])],
};
