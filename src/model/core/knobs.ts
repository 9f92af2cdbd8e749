/**
 * The core model's policy knobs as its ops read them. Each default is what an op does when a design
 * does not set the knob; a design declares the knob with its own description (`KnobDef`).
 */
import type { KnobConfig, KnobDefs } from './design.ts';
import { knobReader } from './design.ts';
import type { KnobValues } from './op.ts';

/** The core's knobs. */
export const CORE_KNOBS = {
  checkTarget: {
    description: "Xen refuses to map or look up domains that are not on the caller's target list (IS_PRIV_FOR)",
    values: [true, false],
    default: true,
  },
  backendIommu: {
    description:
      "the backend's IOMMU, as seed 000 draws it: separate (a PV backend's own IOMMU tables, holding only what was mapped) or shared-ept (a PVH backend: its IOMMU is its p2m, so map-for-DMA maps at a GFN of the backend's, and everything in its p2m — own RAM, grant and foreign maps — is DMA-reachable)",
    values: ['separate', 'shared-ept'],
    default: 'separate',
  },
  endAccessChecksMapped: {
    description:
      "gnttab end_access refuses (EBUSY) while the grant is mapped, as Xen's grant table does; false ends it anyway (the class of Linux's gnttab_end_foreign_access races)",
    values: [true, false],
    default: true,
  },
  getPageFirst: {
    description:
      'map-for-DMA takes its page reference (get_page) before the privilege check, and the EPERM path returns without put_page — the error-path leak',
    values: [false, true],
    default: false,
  },
  checkCollision: {
    description:
      "Xen checks the caller-chosen address of a map-for-DMA (Jan Beulich's rules): inside the table, not in use, not in the backend's balloon range, not still cached in the IOTLB; false: Xen maps where it is told, over whatever is there",
    values: [true, false],
    default: true,
  },
} as const satisfies KnobDefs;

/** The core's configuration: `{ checkTarget: boolean; backendIommu: 'separate' | 'shared-ept'; checkCollision: boolean }`. */
export type CoreConfig = KnobConfig<typeof CORE_KNOBS>;

/** The core's configuration under a run's knob values. */
export const coreConfig: (knobs: KnobValues) => CoreConfig = knobReader(CORE_KNOBS);
