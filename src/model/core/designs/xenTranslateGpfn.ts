/**
 * `xen-translate-gpfn`: the 2014 XenGT proposal (seed 000, Yu Zhang 2014-12-09): revive
 * XENMEM_translate_gpfn_list / add XENMEM_get_mfn_from_pfn, a GFN→MFN lookup returning a raw MFN with
 * no reference, which the device model writes into the GPU's tables. It works only because a PV dom0
 * has a 1:1 IOMMU over all RAM. Tim Deegan's reply (2014-12-11 16:46) gives the race it loses:
 * look up, the guest balloons the page out, Xen gives it to another guest, the GPU DMAs into it.
 */
import { DEFAULT_CLIENTS, buildWorld } from '../world.ts';
import { CORE_OPS } from '../ops/coreOps.ts';
import { translateGpfn } from '../ops/dmaAddress.ts';
import { makeShadowClear, makeShadowSet } from '../ops/dmaTableOps.ts';
import { CORE_INVARIANT_IDS } from './coreInvariants.ts';
import type { Design } from '../design.ts';
import { CORE_KNOBS, coreConfig } from '../knobs.ts';
import { forgeDmaEntry } from '../ops/compromisedBackend.ts';
import { identityConfig, withAdversary } from '../adversary.ts';
import { LEVEL_INVARIANT_IDS, PV_DOM0_ADVERSARY_KNOBS } from '../adversaryDesigns.ts';
import { translateGpfnLevels } from './levelExpectations.ts';

/** The 2014 lookup hypercall. */
export const xenTranslateGpfn: Design = {
  id: 'xen-translate-gpfn',
  title: 'XENMEM_translate_gpfn_list revived: raw GFN→MFN lookup, no reference',
  description:
    'The device model looks up client GFNs and programs raw MFNs into the GPU tables; a PV dom0 with a 1:1 IOMMU lets them through. Nothing keeps the frame allocated.',
  source: 'seed 000: Yu Zhang 2014-12-09 10:10; Tim Deegan 2014-12-11 16:46 (the race)',
  knobs: {
    checkTarget: {
      description: 'the lookup checks the caller is privileged for the domain (IS_PRIV_FOR over the target list)',
      values: [true, false],
      default: true,
    },
    endAccessChecksMapped: CORE_KNOBS.endAccessChecksMapped,
    ...PV_DOM0_ADVERSARY_KNOBS,
  },
  variants: [{ endAccessChecksMapped: false }],
  ops: [...CORE_OPS, makeShadowSet(translateGpfn), makeShadowClear(translateGpfn), forgeDmaEntry],
  invariants: [...CORE_INVARIANT_IDS, ...LEVEL_INVARIANT_IDS],
  expect: (knobs) => ({
    ...translateGpfnLevels(knobs),
    ...(coreConfig(knobs).endAccessChecksMapped
      ? {}
      : {
          'end-access-fails-while-mapped': {
            verdict: 'violated' as const,
            why: "endAccessChecksMapped=false: the granter ends access to a grant the grantee still maps, so the page can be reused under the grantee's mapping",
          },
        }),
    'no-stale-reference': {
      verdict: 'violated',
      why: 'the raw MFN in the DMA table outlives the allocation: balloon out, reallocate, and it names another generation',
    },
    'no-foreign-reach': {
      verdict: 'violated',
      why: 'the target check happens once, at lookup: after the guest balloons the frame out, Xen reallocates it or the toolstack drops the target, the GPU still reaches it through the 1:1 IOMMU',
    },
    ...(identityConfig(knobs).dom0IdentityCoversXen
      ? { 'no-xen-frame-reach': { verdict: 'violated', why: 'a ballooned-out frame Xen takes for itself is still in the GPU tables and in the 1:1 IOMMU' } as const }
      : {}),
  }),
  sometimes: () => ['mapped-or-shadowed-gfn-ballooned', 'freed-frame-reallocated', 'non-target-map-refused'],
  buildWorld: (scope, knobs) => withAdversary(buildWorld(scope, { backendKind: 'pv-dom0', clients: [...DEFAULT_CLIENTS] }), knobs),
};
