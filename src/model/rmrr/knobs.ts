/**
 * The RMRR designs' policy knobs (seed 003's open choices) as their worlds and expectations read them.
 * Each default is the thread's: fail on conflict, deny sharing, quarantine, shared EPT.
 */
import type { KnobConfig, KnobDefs } from '../core/design.ts';
import { knobReader } from '../core/design.ts';
import type { KnobValues } from '../core/op.ts';

/** The RMRR knobs. */
export const RMRR_KNOBS = {
  rmrrConflict: {
    description: "Xen's reaction to an RMRR GFN already holding another mapping: refuse the assignment, or assign with a warning (the USB case)",
    values: ['fail', 'warn'],
    default: 'fail',
  },
  sharedRmrr: {
    description: 'devices sharing an RMRR: deny their assignment (toolstack, then Xen), or allow it for advanced users',
    values: ['deny', 'allow'],
    default: 'deny',
  },
  deassignTo: {
    description: "where a deassigned device's IOMMU context goes: quarantine (maps only its own RMRRs) or back to the hardware domain",
    values: ['quarantine', 'hwdom'],
    default: 'quarantine',
  },
  iommuPt: {
    description: 'whether the IOMMU walks the p2m (shared EPT) or has its own page tables Xen keeps in sync',
    values: ['shared-ept', 'separate'],
    default: 'shared-ept',
  },
  unmapOnDeassign: {
    description: "deassignment removes the device's RMRR identity maps from the domain it leaves (Kevin Tian §3.2); false leaves them behind",
    values: [true, false],
    default: true,
  },
} as const satisfies KnobDefs;

/** The RMRR configuration, e.g. `{ rmrrConflict: 'fail' | 'warn'; iommuPt: 'shared-ept' | 'separate'; … }`. */
export type RmrrConfig = KnobConfig<typeof RMRR_KNOBS>;

/** The RMRR configuration under a run's knob values. */
export const rmrrConfig: (knobs: KnobValues) => RmrrConfig = knobReader(RMRR_KNOBS);
