/**
 * The one IOMMU permission rule: what a device may do through a p2m entry of each type, whether the
 * IOMMU walks the p2m itself (shared EPT, `iommu_hap_pt_share`) or Xen mirrors the p2m into IOMMU page
 * tables of their own. Xen computes both from the same function, `p2m_get_iommu_flags`: RAM and grant
 * maps as the p2m types them (read-only where the p2m is), direct MMIO read-write, foreign maps
 * read-write (`p2m_map_foreign`: a backend's device may DMA to what it foreign-mapped), and emulated
 * MMIO (`p2m_mmio_dm`, which traps to the device model) not at all.
 */
import type { P2mType } from '../state.ts';

/** What the IOMMU grants a device through one p2m entry: read-write, read-only, or nothing (a fault). */
export type IommuFlags = 'rw' | 'r' | null;

const FLAGS: Record<P2mType, IommuFlags> = {
  ram_rw: 'rw',
  ram_ro: 'r',
  grant_map_rw: 'rw',
  grant_map_ro: 'r',
  mmio_direct: 'rw',
  foreign: 'rw',
  mmio_dm: null,
};

/** The IOMMU flags of a p2m type (Xen's p2m_get_iommu_flags). */
export function iommuFlags(type: P2mType): IommuFlags {
  return FLAGS[type];
}

/** Whether a device can reach (at least read) a frame through a p2m entry of this type. */
export function dmaReadable(type: P2mType): boolean {
  return FLAGS[type] !== null;
}

/** Whether a device may write through a p2m entry of this type. */
export function dmaWritable(type: P2mType): boolean {
  return FLAGS[type] === 'rw';
}
