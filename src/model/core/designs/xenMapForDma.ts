/**
 * `xen-map-for-dma`: Tim Deegan's answer (seed 000, 2014-12-11 16:46): the backend names (domid, gfn);
 * Xen checks the caller is privileged for that domain (a target list), takes a reference and maps the
 * frame into the caller's IOMMU at a BFN it returns; unmap drops the reference. The backend runs in a
 * PVH dom0 / driver domain whose IOMMU holds only what was mapped — levels 0 and 1 of his mail of
 * 2014-12-11 21:29 are then enforced by Xen.
 */
import { DEFAULT_CLIENTS, buildWorld } from '../world.ts';
import { CORE_OPS } from '../ops/coreOps.ts';
import { mapForDma } from '../ops/dmaAddress.ts';
import { makeShadowClear, makeShadowSet } from '../ops/dmaTableOps.ts';
import { CORE_INVARIANT_IDS } from './coreInvariants.ts';
import type { Design, Expectation } from '../design.ts';
import { coreConfig } from '../knobs.ts';

/** The map-for-DMA hypercall. */
export const xenMapForDma: Design = {
  id: 'xen-map-for-dma',
  title: 'map-for-DMA: Xen checks the target list, takes a reference, returns a BFN',
  description:
    "The device model asks Xen to map (domid, gfn) into its IOMMU and programs the returned BFN; unmapping drops the reference, so a ballooned-out page stays allocated until the GPU is done with it.",
  source: 'seed 000: Tim Deegan 2014-12-09 10:46 and 2014-12-11 16:46, 21:29 (levels 0 and 1)',
  knobs: {
    checkTarget: {
      description: 'Xen refuses to map domains that are not on the caller\'s target list (IS_PRIV_FOR)',
      values: [true, false],
      default: true,
    },
  },
  variants: [{ checkTarget: false }],
  ops: [...CORE_OPS, makeShadowSet(mapForDma), makeShadowClear(mapForDma)],
  invariants: CORE_INVARIANT_IDS,
  expect: (knobs): Record<string, Expectation> =>
    !coreConfig(knobs).checkTarget
      ? {
          'no-foreign-reach': {
            verdict: 'violated',
            why: 'checkTarget=false: Xen maps any domain for the backend, so its GPU reaches non-clients (level 1 lost)',
          },
        }
      : {},
  // The race (balloon out while the DMA table holds the page, the frame handed out again) and, when Xen checks targets, a refused non-target map.
  sometimes: (knobs) => ['mapped-or-shadowed-gfn-ballooned', 'freed-frame-reallocated', ...(coreConfig(knobs).checkTarget ? ['non-target-map-refused'] : [])],
  buildWorld: (scope) => buildWorld(scope, { backendKind: 'pvh', clients: [...DEFAULT_CLIENTS] }),
};
