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
import { coreConfig } from '../knobs.ts';
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
    ...ADVERSARY_DESIGN_KNOBS,
  },
  variants: [{ checkTarget: false }],
  ops: [...CORE_OPS, makeShadowSet(mapForDma), makeShadowClear(mapForDma), forgeDmaEntry, makeDmaMapAny(mapForDma)],
  invariants: [...CORE_INVARIANT_IDS, ...LEVEL_INVARIANT_IDS],
  expect: (knobs): Record<string, Expectation> => ({ ...mapForDmaLevels(knobs), ...oldExpect(knobs) }),
  // The race (balloon out while the DMA table holds the page, the frame handed out again) and, when Xen checks targets, a refused non-target map.
  sometimes: (knobs) => ['mapped-or-shadowed-gfn-ballooned', 'freed-frame-reallocated', ...(coreConfig(knobs).checkTarget ? ['non-target-map-refused'] : [])],
  buildWorld: (scope, knobs) => withAdversary(buildWorld(scope, { backendKind: 'pvh', clients: [...DEFAULT_CLIENTS] }), knobs),
};

/** The expectations of the correct, de-privileged world (the design's verdicts before issue 10). */
function oldExpect(knobs: Record<string, string | number | boolean>): Record<string, Expectation> {
  return !coreConfig(knobs).checkTarget
      ? {
          'no-foreign-reach': {
            verdict: 'violated',
            why: 'checkTarget=false: Xen maps any domain for the backend, so its GPU reaches non-clients (level 1 lost)',
          },
        }
      : {};
}
