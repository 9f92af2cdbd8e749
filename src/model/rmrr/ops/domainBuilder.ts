/**
 * The toolstack's domain builder (libxc, driven by libxl): lays out a new HVM guest's RAM and decides
 * which RMRR GFNs to keep free. Seed 003 §3.2 (1) and George Dunlap's reply: "RMRR areas need to be
 * not populated with gfns during boot time"; reserve "at domain creation time" the RMRRs of statically
 * assigned devices, all of them when the guest's layout should "mirror the host" for later hot-plug,
 * or an explicit list; and the user-space policy is 'warn' (§3.3 a: a conflict must not stop the guest
 * from booting). Planning is pure; `createDomain` (domains.ts) carries the plan out.
 */
import type { GuestLayout, Platform, Reservation } from '../platform.ts';
import { rmrrGfns } from '../rmrr.ts';

/** A new guest's configuration (xl.cfg): its static devices and what else to reserve for hot-plug. */
export interface GuestConfig {
  /** Devices assigned at creation (indexes into the platform's devices). */
  static: number[];
  /** Reserve every RMRR on the host (the "mirror the host layout" option; off by default). */
  mirrorHost: boolean;
  /** RMRRs to reserve besides (the advanced user's explicit list). */
  explicit: number[];
}

/** What the domain builder decided: RAM GFNs to populate, the reservation, and what it logs. */
export interface LayoutPlan {
  ram: number[];
  reservation: Reservation | null;
  warnings: string[];
}

/** The RMRRs a configuration asks to reserve, sorted and without repeats. */
export function requestedRmrrs(p: Platform, config: GuestConfig): number[] {
  const out = new Set<number>(config.explicit);
  for (const i of config.static) for (const r of p.devices[i].rmrrs) out.add(r);
  if (config.mirrorHost) p.rmrrs.forEach((_, r) => out.add(r));
  return [...out].sort((a, b) => a - b);
}

/** RAM at the lowest GFNs allowed, BIOS region first: the layout both builders share. */
function placeRam(layout: GuestLayout, pages: number, reserved: ReadonlySet<number>): number[] {
  const ram: number[] = [];
  for (let gfn = 0; gfn < layout.holeStart && ram.length < pages; gfn++) {
    if (gfn >= layout.biosEnd && reserved.has(gfn)) continue;
    ram.push(gfn);
  }
  return ram;
}

/** The 2014 builder: RAM from GFN 0 up, with no idea that RMRRs exist. */
export function planFlatLayout(layout: GuestLayout, pages: number): LayoutPlan {
  return { ram: placeRam(layout, pages, new Set()), reservation: null, warnings: [] };
}

/**
 * The v2 builder: reserve the requested RMRRs' GFNs and lay RAM around them. A requested GFN in the
 * guest BIOS region cannot be kept free — the BIOS lives there — so it is warned about and left out of
 * the reservation (the USB legacy-keyboard case); Xen's check at assignment is the last resort.
 */
export function planReservingLayout(p: Platform, config: GuestConfig, pages: number): LayoutPlan {
  const rmrrs = requestedRmrrs(p, config);
  const gfns: number[] = [];
  const warnings: string[] = [];
  for (const r of rmrrs) {
    for (const gfn of rmrrGfns(p.rmrrs[r])) {
      if (gfn < p.layout.biosEnd) {
        warnings.push(
          `libxc: RMRR r${r} at gfn 0x${gfn.toString(16)} conflicts with the guest BIOS region; not reserved (a device using it may not work)`,
        );
      } else {
        gfns.push(gfn);
      }
    }
  }
  return { ram: placeRam(p.layout, pages, new Set(gfns)), reservation: { rmrrs, gfns }, warnings };
}
