/**
 * `xengt-shadow-map`: XenGT as Tim Deegan proposed it (seed 000, 2014-12-11 16:46): the device model in
 * a PVH dom0 / driver domain fills shadow GGTT and PPGTT entries through map-for-DMA — Xen checks the
 * target list, takes a reference and returns a BFN in the backend's IOMMU — and unmaps when an entry
 * changes. A ballooned-out page stays allocated while a shadow names it, so every security invariant is
 * expected to hold; what is left is functional (emulated DMA into a PPGTT page, a reallocated PT page).
 */
import { buildGpuShadowWorld } from '../world.ts';
import { DEFAULT_CLIENTS } from '../../core/world.ts';
import { xengtOps } from '../ops/gpuShadowOps.ts';
import { mapForDmaResolver } from '../ops/shadowResolver.ts';
import { addUnpartitioned, AUDIT_COMMANDS, CHECK_GGTT_PARTITION, SHADOW_DESIGN_INVARIANTS, UNAUDITED } from './gpuShadowDesign.ts';
import { gpuShadowTeardown } from '../teardown.ts';
import type { Design, Expectation } from '../../core/design.ts';
import { gpuShadowConfig } from '../knobs.ts';
import { shadowMapLevels } from '../../core/designs/levelExpectations.ts';
import { COMPROMISED_DEVICE_MODEL_OPS } from '../ops/compromisedDeviceModel.ts';
import { withAdversary } from '../../core/adversary.ts';
import { ADVERSARY_DESIGN_KNOBS, LEVEL_INVARIANT_IDS } from '../../core/adversaryDesigns.ts';
import { makeDmaMapAny } from '../../core/ops/compromisedBackend.ts';
import { mapForDma } from '../../core/ops/dmaAddress.ts';

/** What the device model does when a client is destroyed, balloons out a page or gets a frame. */
const TEARDOWN = gpuShadowTeardown(mapForDmaResolver);

/** XenGT shadows filled by map-for-DMA. */
export const xengtShadowMap: Design = {
  id: 'xengt-shadow-map',
  title: 'XenGT shadow GTT/PPGTT filled by map-for-DMA (reference + BFN)',
  description:
    "The device model shadows each VM's GGTT slice and PPGTTs with BFNs from the map-for-DMA hypercall; every shadow entry keeps its frame allocated through the backend's IOMMU mapping until the entry changes.",
  source: 'seed 000: Tim Deegan 2014-12-11 16:46 (map, not look up), 21:29 (levels 0-2); Kevin Tian 2014-12-10 01:48',
  knobs: { auditCommands: AUDIT_COMMANDS, checkGgttPartition: CHECK_GGTT_PARTITION, ...ADVERSARY_DESIGN_KNOBS },
  variants: [{ auditCommands: false }, { checkGgttPartition: false }],
  teardown: TEARDOWN,
  ops: [...xengtOps(mapForDmaResolver, TEARDOWN), ...COMPROMISED_DEVICE_MODEL_OPS, makeDmaMapAny(mapForDma)],
  invariants: [...SHADOW_DESIGN_INVARIANTS, ...LEVEL_INVARIANT_IDS],
  expect(knobs) {
    const c = gpuShadowConfig(knobs);
    const out: Record<string, Expectation> = {
      'shadow-matches-guest': {
        verdict: 'violated',
        why: 'functional only: an emulated device write into a PPGTT page, or a page-table page ballooned out and reused, leaves the shadow behind the guest',
      },
    };
    Object.assign(out, shadowMapLevels(knobs));
    if (c.auditCommands === false) {
      out['gpu-reaches-only-own-vm'] = UNAUDITED;
      out['level-2-clients-isolated'] = UNAUDITED;
    }
    if (c.checkGgttPartition === false) {
      addUnpartitioned(out);
      out['level-2-clients-isolated'] ??= out['gpu-reaches-only-own-vm'];
    }
    return out;
  },
  sometimes: () => ['pt-page-ballooned-while-shadowed', 'tracked-pt-page-written-by-cpu', 'shadowed-page-ballooned', 'gpu-context-switch'],
  buildWorld: (scope, knobs) => withAdversary(buildGpuShadowWorld(scope, { backendKind: 'pvh', clients: [...DEFAULT_CLIENTS], memslots: 'xen', counterBits: 16 }), knobs),
};
