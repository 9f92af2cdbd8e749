/**
 * The virtio-GPU primitives' knobs as their ops read them — the thread's open questions. Each default
 * is what an op does when a design does not set the knob: `onwardMap` is off unless a design turns it
 * on (virtio-gpu-primitives declares it on by default).
 */
import type { KnobConfig, KnobDefs } from '../core/design.ts';
import { knobReader } from '../core/design.ts';
import type { KnobValues } from '../core/op.ts';

/** The virtio-GPU knobs. */
export const VIRTIO_KNOBS = {
  mapType: {
    description: 'p2m type Map gives the frontend: mmio_direct (CPU-accessible), mmio_dm (accesses become IOREQs) or ram_rw (what must never be)',
    values: ['mmio_direct', 'mmio_dm', 'ram_rw'],
    default: 'mmio_direct',
  },
  onwardMap: {
    description: 'the frontend may re-Map a Mapped buffer onward to a domain it serves',
    values: [true, false],
    default: false,
  },
  transitiveRevoke: {
    description: 'Revoke also revokes every onward Map of the buffer',
    values: [true, false],
    default: true,
  },
  steal: {
    description: 'Steal and Return are provided (Demi withdrew the request on 2025-02-06)',
    values: [true, false],
    default: true,
  },
  revoke: {
    description:
      "how Revoke takes the pages back: fault-range (one hypercall, never fails, faults routed to the backend as IOREQ_TYPE_FAULT), unpopulate (just remove the p2m entries: accesses hit a hole Xen does not forward), or wait-for-users (refuse with EBUSY while a DMA or hypercall is using the range)",
    values: ['fault-range', 'unpopulate', 'wait-for-users'],
    default: 'fault-range',
  },
  stealCheck: {
    description:
      "Steal's precondition: full (Demi's list: no hypercall, grant, foreign map or other principal may hold the page) or ram-rw-only (Roger's reading: the page is the frontend's own p2m_ram_rw RAM)",
    values: ['full', 'ram-rw-only'],
    default: 'full',
  },
  stealQuota: {
    description: "Steal moves the pages' quota from the frontend to the backend (Demi), or leaves tot_pages alone (Roger asks why it is needed)",
    values: [true, false],
    default: true,
  },
} as const satisfies KnobDefs;

/** The virtio-GPU configuration, e.g. `{ mapType: 'mmio_direct' | 'mmio_dm' | 'ram_rw'; onwardMap: boolean; … }`. */
export type VirtioConfig = KnobConfig<typeof VIRTIO_KNOBS>;

/** The virtio-GPU configuration under a run's knob values. */
export const virtioConfig: (knobs: KnobValues) => VirtioConfig = knobReader(VIRTIO_KNOBS);
