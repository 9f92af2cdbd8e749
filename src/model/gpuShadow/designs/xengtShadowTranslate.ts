/**
 * `xengt-shadow-translate`: XenGT as proposed in 2014 (seed 000, Yu Zhang 2014-12-09; Kevin Tian
 * 2014-12-10): the device model in a PV dom0 shadows the partitioned GGTT and the per-process PPGTTs,
 * filling each shadow entry with the raw MFN XENMEM_translate_gpfn_list returns — no reference — which
 * the GPU reaches through dom0's 1:1 IOMMU. Tim Deegan's race (2014-12-11 16:46) happens with a shadow
 * PPGTT entry in place of the flat table: the guest balloons the page out, Xen hands it to someone else,
 * the GPU running that guest's context still reaches it.
 */
import { buildGpuShadowWorld } from '../world.ts';
import { DEFAULT_CLIENTS } from '../../core/world.ts';
import { xengtOps } from '../ops/gpuShadowOps.ts';
import { translateGpfnResolver } from '../ops/shadowResolver.ts';
import { addUnpartitioned, AUDIT_COMMANDS, CHECK_GGTT_PARTITION, SHADOW_DESIGN_INVARIANTS } from './gpuShadowDesign.ts';
import { gpuShadowTeardown } from '../teardown.ts';
import type { Design, Expectation } from '../../core/design.ts';
import { gpuShadowConfig } from '../knobs.ts';
import { translateGpfnLevels } from '../../core/designs/levelExpectations.ts';
import { identityConfig } from '../../core/adversary.ts';
import { COMPROMISED_DEVICE_MODEL_OPS } from '../ops/compromisedDeviceModel.ts';
import { withAdversary } from '../../core/adversary.ts';
import { PV_DOM0_ADVERSARY_KNOBS, LEVEL_INVARIANT_IDS } from '../../core/adversaryDesigns.ts';

/** What the device model does when a client is destroyed, balloons out a page or gets a frame. */
const TEARDOWN = gpuShadowTeardown(translateGpfnResolver);

/** XenGT shadows filled by the 2014 raw lookup. */
export const xengtShadowTranslate: Design = {
  id: 'xengt-shadow-translate',
  title: 'XenGT shadow GTT/PPGTT filled by the raw GFN→MFN lookup',
  description:
    "The device model shadows each VM's GGTT slice and PPGTTs with raw MFNs from XENMEM_translate_gpfn_list; nothing holds the frames, so a ballooned-out page stays named by a shadow PPGTT entry after Xen has reused it.",
  source: 'seed 000: Yu Zhang 2014-12-09 10:10; Kevin Tian 2014-12-10 01:48, 08:47; Tim Deegan 2014-12-11 16:46',
  knobs: { auditCommands: AUDIT_COMMANDS, checkGgttPartition: CHECK_GGTT_PARTITION, ...PV_DOM0_ADVERSARY_KNOBS },
  variants: [{ auditCommands: false }],
  teardown: TEARDOWN,
  ops: [...xengtOps(translateGpfnResolver, TEARDOWN), ...COMPROMISED_DEVICE_MODEL_OPS],
  invariants: [...SHADOW_DESIGN_INVARIANTS, ...LEVEL_INVARIANT_IDS],
  expect(knobs) {
    const c = gpuShadowConfig(knobs);
    const out: Record<string, Expectation> = {
      'no-stale-reference': {
        verdict: 'violated',
        why: 'a shadow GGTT or PPGTT entry keeps the raw MFN of a page the guest ballooned out and Xen handed to another domain (or took itself)',
      },
      'gpu-reaches-only-own-vm': {
        verdict: 'violated',
        why: "the GPU running the guest's context, or the guest's aperture, reaches the ballooned-out frame once it is free or someone else's",
      },
      'no-foreign-reach': {
        verdict: 'violated',
        why: 'the freed frame, or its next owner, is reachable by the GPU through the 1:1 IOMMU',
      },
      'no-xen-frame-reach': {
        verdict: 'violated',
        why: 'a ballooned-out frame Xen takes for itself stays in a shadow table, behind the 1:1 IOMMU',
      },
      'shadow-matches-guest': {
        verdict: 'violated',
        why: 'functional: a reallocated frame, or an emulated device write into a PPGTT page, leaves the shadow behind the guest',
      },
    };
    if (!identityConfig(knobs).dom0IdentityCoversXen) delete out['no-xen-frame-reach'];
    if (c.checkGgttPartition === false) addUnpartitioned(out);
    return { ...out, ...translateGpfnLevels(knobs) };
  },
  sometimes: () => ['pt-page-ballooned-while-shadowed', 'tracked-pt-page-written-by-cpu', 'shadowed-page-ballooned', 'gpu-context-switch'],
  buildWorld: (scope, knobs) => withAdversary(buildGpuShadowWorld(scope, { backendKind: 'pv-dom0', clients: [...DEFAULT_CLIENTS], memslots: 'xen', counterBits: 16 }), knobs),
};
