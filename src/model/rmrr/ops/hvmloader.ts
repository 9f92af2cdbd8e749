/**
 * hvmloader: places its own structures (ACPI tables, the info page) in the guest's GFN space and
 * writes the guest's E820, reporting the reservation as E820_RESERVED. Seed 003 §3.2 (3) and George
 * Dunlap: hvmloader "must avoid placing MMIO devices over RMRR regions which are / may be assigned to
 * a guest", with the user-space policy 'warn' when it cannot. Its preferred spot is just below the PCI
 * MMIO hole; the 2014 hvmloader knows nothing of RMRRs.
 */
import type { GuestLayout } from '../platform.ts';

/** Where hvmloader puts its tables page, and what it logs. */
export interface TablesPlan {
  /** The GFN, or null when there is no room (the guest boots without them). */
  gfn: number | null;
  /** Whether a reserved GFN was skipped on the way (a risky situation avoided). */
  avoidedReserved: boolean;
  warnings: string[];
}

/**
 * Place the tables at the highest free GFN below the MMIO hole and above the BIOS region. With a
 * `reserved` set (v2) reserved GFNs are passed over; without one (2014) they are not even known.
 */
export function placeTables(layout: GuestLayout, isFree: (gfn: number) => boolean, reserved?: ReadonlySet<number>): TablesPlan {
  let avoidedReserved = false;
  for (let gfn = layout.holeStart - 1; gfn >= layout.biosEnd; gfn--) {
    if (!isFree(gfn)) continue;
    if (reserved !== undefined && reserved.has(gfn)) {
      avoidedReserved = true;
      continue;
    }
    return { gfn, avoidedReserved, warnings: [] };
  }
  return { gfn: null, avoidedReserved, warnings: ['hvmloader: no free GFN outside reserved ranges for the ACPI tables'] };
}
