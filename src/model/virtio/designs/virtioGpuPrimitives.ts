/**
 * `virtio-gpu-primitives`: the four memory primitives an IOREQ-server backend needs for virtio-GPU
 * (seed 004, Demi Marie Obenour 2025-02-02), with Roger Pau Monné's answers (2025-02-06): Revoke is one
 * hypercall; `mmio_dm` for ranges the CPU may not touch (accesses become IOREQs), `mmio_direct` for
 * those it may; Map checks the backend's iomem permissions and ignores the frontend's; faults on a
 * revoked range reach the backend as IOREQ_TYPE_FAULT through a range set on the IOREQ server.
 * The knobs are the thread's open questions; two settings are the ones it warns against.
 */
import { buildVirtioWorld } from '../world.ts';
import { mapForDma } from '../../core/ops/dmaAddress.ts';
import { makeShadowClear, makeShadowSet } from '../../core/ops/dmaTableOps.ts';
import type { KnobValues } from '../../core/op.ts';
import { VIRTIO_CORE_OPS } from '../ops/coreOps.ts';
import { deviceDmaFinish, deviceDmaStart, frontendAccess, hypercallFinish, hypercallStart } from '../ops/frontend.ts';
import { mapBuffer, mapOnward, revoke } from '../ops/map.ts';
import { returnPages, steal } from '../ops/steal.ts';
import { CORE_INVARIANT_IDS } from '../../core/designs/coreInvariants.ts';
import type { Design, Expectation } from '../../core/design.ts';
import { virtioConfig, VIRTIO_KNOBS } from '../knobs.ts';
import { freeBeforeFlushExpectations, IOTLB_KNOBS, withIotlb } from '../../core/device/knobs.ts';
import { virtioIommuFlush } from '../maps.ts';

/** The invariants of the virtio-GPU primitives, checked beside the core ones. */
export const VIRTIO_INVARIANT_IDS: readonly string[] = [
  'revoke-always-succeeds',
  'revoke-leaves-no-access',
  'mapped-pages-never-ram-rw',
  'steal-only-exclusive-pages',
  'fault-after-revoke',
];

/** Expected violations for knob values. */
function expectations(knobs: KnobValues): Record<string, Expectation> {
  const c = virtioConfig(knobs);
  const out: Record<string, Expectation> = {};
  if (c.mapType === 'ram_rw') {
    out['mapped-pages-never-ram-rw'] = {
      verdict: 'violated',
      why: 'mapType=ram_rw: the Mapped page is ordinary RAM to the frontend (the type Demi says it must never have)',
    };
    out['no-foreign-reach'] = {
      verdict: 'violated',
      why: 'mapType=ram_rw: Xen treats the Mapped page as frontend RAM, so a grant of it (a third domain maps it) or a hypercall using it (pinned past Revoke) reaches backend memory no live Map provides',
    };
    out['revoke-leaves-no-access'] = {
      verdict: 'violated',
      why: 'mapType=ram_rw: a grant or foreign map of the Mapped page, or a hypercall using it, outlives Revoke',
    };
  }
  Object.assign(out, freeBeforeFlushExpectations(knobs));
  if (c.revoke === 'wait-for-users') {
    out['revoke-always-succeeds'] = {
      verdict: 'violated',
      why: 'revoke=wait-for-users: Revoke refuses (EBUSY) while a DMA or hypercall is using the range, so a frontend can pin backend memory by keeping one in flight',
    };
  }
  if (c.revoke === 'unpopulate') {
    out['fault-after-revoke'] = {
      verdict: 'violated',
      why: "revoke=unpopulate: Revoke just removes the p2m entries; the frontend's access to the hole faults but no IOREQ_TYPE_FAULT reaches the backend",
    };
  }
  if (c.stealCheck === 'ram-rw-only') {
    const why = "stealCheck=ram-rw-only (Roger's reading): a ram_rw page that is granted, foreign-mapped or used by a hypercall is stolen anyway";
    out['steal-only-exclusive-pages'] = { verdict: 'violated', why };
    out['no-foreign-reach'] ??= { verdict: 'violated', why: `${why}, so its other holders keep reaching memory the backend now owns` };
    out['revoke-leaves-no-access'] ??= { verdict: 'violated', why: `${why}: its grant or foreign map outlives the Revoke of the stolen page` };
    out['mapped-pages-never-ram-rw'] ??= { verdict: 'violated', why: `${why}: the stolen page, now Mapped, is still granted, foreign-mapped or a hypercall buffer` };
  }
  if (!c.stealQuota) {
    out['quota-matches-ownership'] = {
      verdict: 'violated',
      why: "stealQuota=false: the stolen pages change owner but the frontend's tot_pages still counts them and the backend's does not",
    };
  }
  if (c.onwardMap && !c.transitiveRevoke) {
    out['revoke-leaves-no-access'] = {
      verdict: 'violated',
      why: 'onwardMap without a transitive Revoke: the onward Map survives Revoke, so the third domain still reaches the buffer',
    };
    out['no-foreign-reach'] ??= {
      verdict: 'violated',
      why: 'onwardMap without a transitive Revoke: the orphaned onward Map reaches backend memory no live Map provides',
    };
  }
  return out;
}

/** The thread's proposal with Roger's answers. */
export const virtioGpuPrimitives: Design = {
  id: 'virtio-gpu-primitives',
  title: 'virtio-GPU Map / Revoke / Steal / Return for an IOREQ-server backend',
  description:
    'The backend Maps its RAM or BAR buffers into the frontend with an MMIO p2m type (never ram_rw), Revokes them in one hypercall that never fails and arms IOREQ_TYPE_FAULT, Steals exclusive frontend RAM and Returns it; the frontend tries CPU access, device DMA, grants, foreign maps and hypercalls on the Mapped range.',
  source: 'seed 004: Demi Marie Obenour 2025-02-02 (the four primitives) and 2025-02-06; Roger Pau Monné 2025-02-06',
  // Onward Maps are on here, as the thread proposes; an op run without this design's knobs has them off.
  knobs: { ...VIRTIO_KNOBS, onwardMap: { ...VIRTIO_KNOBS.onwardMap, default: true }, ...IOTLB_KNOBS },
  variants: [
    { mapType: 'mmio_dm' },
    { mapType: 'ram_rw' },
    { onwardMap: true, transitiveRevoke: false },
    { steal: false },
    { revoke: 'wait-for-users' },
    { revoke: 'unpopulate' },
    { stealCheck: 'ram-rw-only' },
    { stealQuota: false },
    { iotlbFlush: 'batch' },
    // freeBeforeFlush is left out of the default campaigns here: its Xen-frame and stale-reference
    // traces need more runs than the smallest budgets give (xen-map-for-dma runs it instead).
  ],
  ops: [
    ...VIRTIO_CORE_OPS,
    makeShadowSet(mapForDma),
    makeShadowClear(mapForDma),
    mapBuffer,
    mapOnward,
    revoke,
    steal,
    returnPages,
    frontendAccess,
    deviceDmaStart,
    deviceDmaFinish,
    hypercallStart,
    hypercallFinish,
    virtioIommuFlush,
  ],
  invariants: [...CORE_INVARIANT_IDS, 'iotlb-flushed-before-free', ...VIRTIO_INVARIANT_IDS],
  expect: expectations,
  // "Just unpopulate the p2m" delivers no fault after a Revoke (the break it is there to show), so that
  // situation cannot be reached under it.
  sometimes: (knobs) => [
    ...(virtioConfig(knobs).revoke === 'unpopulate' ? [] : ['fault-after-revoke-delivered']),
    'revoke-hypercall-in-flight',
    'onward-map-made',
    'bar-mapped',
  ],
  buildWorld: (scope, knobs) => withIotlb(buildVirtioWorld(scope), knobs),
};
