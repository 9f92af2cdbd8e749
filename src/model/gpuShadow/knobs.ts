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
    description: 'a memslot keeps its track counters when moved or re-flagged (the v2 fix); false is v1, which freed them',
    values: [true, false],
    default: true,
  },
} as const satisfies KnobDefs;

/** The device model's configuration, e.g. `{ auditCommands: boolean; trackCounterBits: 16 | 1; … }`. */
export type GpuShadowConfig = KnobConfig<typeof GPU_SHADOW_KNOBS>;

/** The device model's configuration under a run's knob values. */
export const gpuShadowConfig: (knobs: KnobValues) => GpuShadowConfig = knobReader(GPU_SHADOW_KNOBS);
