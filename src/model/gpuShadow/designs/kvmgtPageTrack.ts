/**
 * `kvmgt-page-track`: the design of seed 002 ("[PATCH v3 00/11] KVM: x86: track guest page access").
 * KVMGT write-protects the guest's PPGTT pages with kvm_page_track_add_page, so the guest CPU's writes
 * trap, are emulated, and reach the device model through its track_write notifier; shadow entries pin
 * the guest pages they translate (a reference each). Writes by emulated devices (QEMU, vhost) are not
 * tracked — "'DMA to PPGTT' is NOT SUPPORTED [...] it can only modify guest PPGTT instead of shadow
 * PPGTT (being guest invisible). So there is no security issue either" (Kevin Tian 2016-02-23).
 * KVMGT keeps a protect table, so it tracks a page with KVM once (knob `protectTable`). What the VMM
 * does to guest memory under it is today's upstream (docs/conformance.md KGT-04, KGT-06, KPT-11): a
 * memslot delete leaves the shadows in place, untracked; a vfio unmap unpins pages shadow entries still
 * name; a memslot move is refused while KVMGT is attached. So the security invariants break through the
 * VMM's removals unless the device model drops its shadows then (`vmmRemoval=drop-shadows`, a
 * proposal); with that, shadow-matches-guest — functional — still breaks through emulated DMA, unless
 * the device model also hears of device writes (Paolo Bonzini's alternative).
 */
import { buildGpuShadowWorld } from '../world.ts';
import { DEFAULT_CLIENTS } from '../../core/world.ts';
import { kvmgtOps } from '../ops/gpuShadowOps.ts';
import { pinGuestPage } from '../ops/shadowResolver.ts';
import { addUnpartitioned, AUDIT_COMMANDS, CHECK_GGTT_PARTITION, SHADOW_DESIGN_INVARIANTS, UNAUDITED } from './gpuShadowDesign.ts';
import { gpuShadowTeardown } from '../teardown.ts';
import type { Design, Expectation } from '../../core/design.ts';
import { gpuShadowConfig, GPU_SHADOW_KNOBS } from '../knobs.ts';

/** What the device model does when a client is destroyed, balloons out a page or gets a frame. */
const TEARDOWN = gpuShadowTeardown(pinGuestPage);

/** What KGT-06 breaks: vfio's forced unpin leaves shadow entries naming a page no pin keeps. */
const VFIO_UNMAP: Expectation = {
  verdict: 'violated',
  why: "KGT-06: the VMM unmaps a page from vfio (intel_vgpu_dma_unmap unpins it whatever its users) while a shadow entry still holds its address; a balloon-out then frees it and the GPU, or the VM's aperture, reaches whoever gets the frame next",
};

/** KVMGT over KVM's page-track API. */
export const kvmgtPageTrack: Design = {
  id: 'kvmgt-page-track',
  title: "KVMGT: write-tracked PPGTT pages, track_write after emulation, pinned guest pages",
  description:
    'The device model shadows GGTT slices and PPGTTs with pinned guest pages; KVM traps and emulates CPU writes to the tracked page-table pages and calls track_write; an emulated device DMAing into a page-table page is not seen.',
  source: 'seed 002: Xiao Guangrong 2016-02-14 (the four APIs, v2 changelog); Paolo Bonzini, Jike Song, Kevin Tian 2016-02-19..23',
  knobs: {
    trackDeviceWrites: GPU_SHADOW_KNOBS.trackDeviceWrites,
    auditCommands: AUDIT_COMMANDS,
    checkGgttPartition: CHECK_GGTT_PARTITION,
    trackCounterBits: GPU_SHADOW_KNOBS.trackCounterBits,
    keepTrackOnSlotUpdate: GPU_SHADOW_KNOBS.keepTrackOnSlotUpdate,
    protectTable: GPU_SHADOW_KNOBS.protectTable,
    vmmRemoval: GPU_SHADOW_KNOBS.vmmRemoval,
    slotMove: GPU_SHADOW_KNOBS.slotMove,
  },
  // The VMM's removals break the security invariants by default (KGT-04, KGT-06), so each variant that
  // shows another break drops shadows on removal: what it finds is its own.
  variants: [
    { trackDeviceWrites: true, vmmRemoval: 'drop-shadows' },
    { vmmRemoval: 'drop-shadows' },
    { auditCommands: false, vmmRemoval: 'drop-shadows' },
    { protectTable: false, trackCounterBits: 1, vmmRemoval: 'drop-shadows' },
    { trackCounterBits: 1, vmmRemoval: 'drop-shadows', trackDeviceWrites: true },
    { keepTrackOnSlotUpdate: false, vmmRemoval: 'drop-shadows' },
  ],
  teardown: TEARDOWN,
  ops: kvmgtOps(pinGuestPage, TEARDOWN),
  invariants: SHADOW_DESIGN_INVARIANTS,
  expect(knobs) {
    const c = gpuShadowConfig(knobs);
    const out: Record<string, Expectation> = {};
    if (c.trackDeviceWrites !== true) {
      out['shadow-matches-guest'] = {
        verdict: 'violated',
        why: 'functional, as the thread accepts: an emulated device DMAs into a PPGTT page, the guest copy changes and the shadow does not (no security issue: the shadow still holds only pinned pages of the VM)',
      };
    }
    if (c.vmmRemoval === 'untrack-only') {
      for (const id of ['no-foreign-reach', 'gpu-reaches-only-own-vm', 'no-stale-reference', 'no-xen-frame-reach']) out[id] = VFIO_UNMAP;
      out['tracked-while-shadowed'] = { verdict: 'violated', why: "KGT-04: a memslot delete makes KVMGT forget the range's protect-table entries (kvmgt_page_track_remove_region) and KVM free its counters, while the shadows built from it stay: a shadowed page no longer tracked" };
      out['track-counts-match'] = { verdict: 'violated', why: 'KGT-04: after a memslot delete a live shadow mirrors a page no memslot holds, so no counter can track it' };
    }
    if (c.auditCommands === false) out['gpu-reaches-only-own-vm'] = UNAUDITED;
    if (c.checkGgttPartition === false) addUnpartitioned(out);
    if (c.trackCounterBits === 1 && c.protectTable === false) {
      out['track-counts-match'] = { verdict: 'violated', why: 'trackCounterBits=1 without a protect table: a page mirrored by two shadow structures (a root that is also its own page table, two PPGTTs on one root) saturates its counter; KVM WARNs and drops the increment' };
      out['tracked-while-shadowed'] = { verdict: 'violated', why: 'after a saturated counter, removing trackers reaches zero while a shadow still mirrors the page' };
    }
    if (c.keepTrackOnSlotUpdate === false) {
      out['track-counts-match'] = { verdict: 'violated', why: 'keepTrackOnSlotUpdate=false (v1): re-flagging a memslot zeroes its counters under live trackers' };
      out['tracked-while-shadowed'] = { verdict: 'violated', why: 'v1: after a memslot flags change the shadowed page-table pages are no longer tracked' };
    }
    return out;
  },
  // The host kernel is dom0: its DMA domain for the GPU is passthrough (identity), as vfio-pinned host addresses need.
  sometimes: () => ['pt-page-ballooned-while-shadowed', 'tracked-pt-page-written-by-cpu', 'shadowed-page-ballooned', 'memslot-deleted-under-tracking', 'vfio-unmapped-under-shadow'],
  buildWorld: (scope, knobs) =>
    buildGpuShadowWorld(scope, {
      backendKind: 'pv-dom0',
      clients: [...DEFAULT_CLIENTS],
      memslots: 'kvm',
      counterBits: gpuShadowConfig(knobs).trackCounterBits,
      protectTable: gpuShadowConfig(knobs).protectTable,
    }),
};
