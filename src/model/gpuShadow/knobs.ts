/**
 * The GVT device model's policy knobs as its ops read them. Each default is what an op does when a
 * design does not set the knob; a design may declare a knob with another default (`KnobDef`).
 */
import type { KnobDefs } from '../core/design.ts';
import { knobReader } from '../core/design.ts';
import type { KnobConfig } from '../core/design.ts';
import type { KnobValues } from '../core/op.ts';

/** The device model's knobs. */
export const GPU_SHADOW_KNOBS = {
  auditCommands: {
    description: "the device model audits submitted commands, refusing global graphics addresses outside the VM's GGTT slice",
    values: [true, false],
    default: true,
  },
  checkGgttPartition: {
    description: "the device model refuses a guest's global-GTT write outside the VM's slice",
    values: [true, false],
    default: true,
  },
  trackDeviceWrites: {
    description: "Paolo Bonzini's alternative: the device model hooks host memory management, so emulated device writes and page discards update the shadow too",
    values: [false, true],
    default: false,
  },
  trackCounterBits: {
    description: "bits in a page-track counter (the patch's 'unsigned short': 16); 1 makes the limit reachable in small scopes — two trackers of one page",
    values: [16, 1],
    default: 16,
  },
  keepTrackOnSlotUpdate: {
    description: 'a memslot keeps its track counters when re-flagged (the v2 fix, KVM_MR_FLAGS_ONLY keeps the arch data); false is v1, which freed them',
    values: [true, false],
    default: true,
  },
  protectTable: {
    description: "KVMGT's protect table: a page is write-tracked with KVM at most once per vGPU, and untracking a page not in the table is a no-op (kvmgt.c); false is the seed-002 API as posted, one tracker per shadow structure",
    values: [true, false],
    default: true,
  },
  vmmRemoval: {
    description: "what the device model does when the VMM removes guest memory (a memslot delete, a vfio DMA unmap): 'untrack-only' is KVMGT (kvmgt_page_track_remove_region drops protect-table entries, intel_vgpu_dma_unmap unpins; shadows stay); 'drop-shadows' also drops every shadow built from the range (a proposal)",
    values: ['untrack-only', 'drop-shadows'],
    default: 'untrack-only',
  },
  slotMove: {
    description: "KVM_MR_MOVE while KVMGT is attached: 'refused' is today's KVM (-EINVAL when an external page-track user is registered); 'fresh-metadata' is KVM from 2021 to 2023, which moved the slot with new, zeroed write-track counters",
    values: ['refused', 'fresh-metadata'],
    default: 'refused',
  },
} as const satisfies KnobDefs;

/** The device model's configuration, e.g. `{ auditCommands: boolean; trackCounterBits: 16 | 1; … }`. */
export type GpuShadowConfig = KnobConfig<typeof GPU_SHADOW_KNOBS>;

/** The device model's configuration under a run's knob values. */
export const gpuShadowConfig: (knobs: KnobValues) => GpuShadowConfig = knobReader(GPU_SHADOW_KNOBS);
