/**
 * The platform a scope gets: where the guest layout puts its BIOS and MMIO hole, where firmware put the
 * RMRRs, and which devices use them. Derived from the scope alone, so a platform world is deterministic.
 *
 * It holds each situation seed 003 talks about:
 *  - an RMRR low, inside the guest BIOS region (the USB legacy-keyboard case of Issue-2: no domain
 *    builder can keep it free);
 *  - an RMRR low, where guest RAM goes, shared by two USB controllers (Issue-3);
 *  - a two-page RMRR up in the MMIO hole (the IGD's; George Dunlap's "are they normally up in the MMIO
 *    region?"), free in every fresh guest — the one shared EPT forgot to map (Issue-1);
 *  - a device with no RMRR at all (Guideline-2: its assignment must never fail for RMRR reasons).
 * The IGD comes first: the fuzzer's device picks shrink towards index 0.
 */
import type { DeviceKind, GuestLayout, RmrrRange } from './platform.ts';
import type { Scope } from '../core/scope.ts';

/** A device as the platform describes it, before any assignment. */
export interface DeviceSpec {
  name: string;
  kind: DeviceKind;
  rmrrs: number[];
}

/** The platform's fixed facts. */
export interface PlatformSpec {
  layout: GuestLayout;
  rmrrs: RmrrRange[];
  devices: DeviceSpec[];
}

/**
 * The platform for a scope. Throws when the scope is too small to hold it (the frames an RMRR uses
 * must be GFNs too, since identity mapping puts them at gfn == mfn).
 */
export function platformFor(scope: Scope): PlatformSpec {
  // Xen's own frames sit at the bottom, so the lowest frame firmware can have reserved is just above.
  const biosEnd = scope.xenFrames + 1;
  const holeStart = Math.floor((scope.gfns * 3) / 4);
  if (holeStart + 2 > scope.gfns || biosEnd + 1 >= holeStart || scope.frames < scope.gfns) {
    throw new Error(`scope too small for the RMRR platform: needs gfns >= ${4 * (biosEnd + 2)} and frames >= gfns`);
  }
  return {
    layout: { biosEnd, holeStart },
    rmrrs: [
      { base: scope.xenFrames, pages: 1 },
      { base: biosEnd, pages: 1 },
      { base: holeStart, pages: 2 },
    ],
    devices: [
      { name: 'igd0', kind: 'igd', rmrrs: [2] },
      { name: 'usb0', kind: 'usb', rmrrs: [0] },
      { name: 'usb1', kind: 'usb', rmrrs: [1] },
      { name: 'usb2', kind: 'usb', rmrrs: [1] },
      { name: 'nic0', kind: 'nic', rmrrs: [] },
    ],
  };
}
