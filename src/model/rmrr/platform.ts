/**
 * The platform slice of the state: PCI devices, the RMRRs firmware reserved for them, which domain
 * each device is assigned to, which IOMMU context it is in, and the DMA it has been told to do and may
 * not have done yet. Seed 003 (xen-devel, "(v2) Design proposal for RMRR fix", Jan 2015).
 *
 * An RMRR is a range of host frames a device keeps DMAing to (USB legacy keyboard emulation, the IGD's
 * stolen memory). VT-d requires it identity mapped — gfn == mfn, in the p2m and in the IOMMU, as
 * George Dunlap puts it — in whatever domain the device is assigned to. Its frames are owned by no
 * domain (FrameOwner 'reserved').
 */
import type { DeviceDma } from '../core/device/dma.ts';
import type { DomId } from '../core/state.ts';

/** One RMRR: `pages` host frames from `base`; identity mapping puts them at GFNs base.. too. */
export interface RmrrRange {
  base: number;
  pages: number;
}

/** Device kinds the thread names: the USB controllers and the integrated GPU have RMRRs; NICs usually not. */
export type DeviceKind = 'usb' | 'igd' | 'nic';

/** Where a device's DMA is translated: a domain's IOMMU context, or the quarantine context. */
export type DeviceContext = DomId | 'quarantine';

/** A PCI device. */
export interface PciDevice {
  name: string;
  kind: DeviceKind;
  /** Indexes into `Platform.rmrrs`: the reserved ranges this device uses (two devices may share one). */
  rmrrs: number[];
  /**
   * The domain the device belongs to: the hardware domain when it is not assigned to a guest, or null
   * while it sits in quarantine (Xen's dom_io) after a deassignment.
   */
  owner: DomId | null;
  /** The IOMMU context its DMA goes through now. */
  context: DeviceContext;
  /** DMA programmed and not yet performed (oldest first; the core's one DMA record, core/device/dma.ts). */
  inflight: DeviceDma[];
}

/**
 * The RMRR part of a domain's build: what its configuration asked for, and what the domain builder
 * actually kept free. `rmrrs` is what libxl checks at assignment; `gfns` is what Xen refuses to map
 * anything else at (v2) and what hvmloader reports as E820_RESERVED.
 */
export interface Reservation {
  /** RMRRs the configuration asked to reserve (statically assigned devices', all with mirror-host, an explicit list). */
  rmrrs: number[];
  /** GFNs actually reserved: the asked-for RMRR GFNs minus those the builder could not keep free (warned). */
  gfns: number[];
}

/** An entry only in a domain's IOMMU page tables (separate IOMMU, not the p2m): BFN → MFN. */
export interface IommuOnlyEntry {
  bfn: number;
  mfn: number;
  gen: number;
}

/** Per-domain platform facts, indexed by domain id. */
export interface DomainPlatform {
  /** Devices (indexes into `Platform.devices`) the domain's configuration assigns statically. */
  static: number[];
  /** The reservation it was built with; null when built by a builder that reserves nothing (2014). */
  reservation: Reservation | null;
  /**
   * Entries put in the domain's IOMMU but not its p2m: the 2014 RMRR code in the separate-IOMMU case.
   * Empty under shared EPT, where the IOMMU walks the p2m itself.
   */
  iommuOnly: IommuOnlyEntry[];
}

/** The assignment policy in force (Xen boot option and toolstack option), as the thread words it. */
export interface PlatformPolicy {
  /** Hypervisor reaction to an RMRR GFN occupied by another mapping: refuse (default) or assign with a warning. */
  rmrrConflict: 'fail' | 'warn';
  /** Devices that share an RMRR: refuse to assign them (default), or let an advanced user do it. */
  sharedRmrr: 'deny' | 'allow';
  /** Whether assignment requires the device's RMRRs to have been reserved when the domain was built. */
  requireReservation: boolean;
  /** Whether a device leaving a domain takes its RMRR identity maps with it (absent: it does). */
  unmapOnDeassign?: boolean;
}

/** Where the guest layout puts things, in GFNs: the guest BIOS region is fixed, the MMIO hole is high. */
export interface GuestLayout {
  /** GFNs [0, biosEnd) hold the guest BIOS: always RAM, never movable. */
  biosEnd: number;
  /** GFNs [holeStart, end) are the PCI MMIO hole: never RAM. */
  holeStart: number;
}

/** The platform. */
export interface Platform {
  /** The hardware domain: owns every device not assigned to a guest. */
  hwdom: DomId;
  rmrrs: RmrrRange[];
  devices: PciDevice[];
  /** Indexed by domain id. */
  domains: DomainPlatform[];
  policy: PlatformPolicy;
  /** Whether the IOMMU walks the p2m (shared EPT) or has page tables of its own kept in sync by Xen. */
  iommuPt: 'shared-ept' | 'separate';
  /** Where a deassigned device's context goes. */
  deassignTo: 'hwdom' | 'quarantine';
  layout: GuestLayout;
}
