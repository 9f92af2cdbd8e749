/**
 * The path steps of the IOASID slice: how a device gets from its request to a frame (attachment, the
 * IOASID's mapping, a shadow, a guest stage-1 table, KVM's PASID table, an mdev pin, a DMA in flight)
 * and where the slice holds references (root mappings, registrations, pins, shadows).
 */
import type { DomId } from '../core/state.ts';

/** The device's attachment its request used: its RID, its group's shared context, a vPASID, or ENQCMD's KVM PASID. */
export interface IoasidAttachHop {
  readonly via: 'ioasidAttach';
  readonly device: string;
  readonly how: 'rid' | 'group' | 'pasid';
  readonly fd: number;
  readonly ioasid: number;
  readonly pasid?: number;
}

/** A root IOASID's DMA mapping of `iova` to HVA page `hva` of the fd's owner (pinned at `gen`). */
export interface IoasidMapHop {
  readonly via: 'ioasidMap';
  readonly fd: number;
  readonly ioasid: number;
  readonly iova: number;
  readonly hva: number;
  readonly owner: DomId;
}

/** A software-nested child's shadow entry: the kernel's merge of GIOVA `iova` → GPA `gpa` → frame. */
export interface IoasidShadowHop {
  readonly via: 'ioasidShadow';
  readonly fd: number;
  readonly ioasid: number;
  readonly iova: number;
  readonly gpa: number;
}

/** A guest table entry the IOMMU read (hardware nesting): `index` of the table at `table` names GPA `gpa`. */
export interface IoasidGuestTableHop {
  readonly via: 'ioasidGuestTable';
  readonly fd: number;
  readonly ioasid: number;
  readonly table: 'stage1' | 'pasid';
  readonly index: number;
  readonly gpa: number;
}

/** The IOMMU reading a bound guest table page itself (stage 1 or PASID table), at GPA or host address `addr`. */
export interface IoasidTablePageHop {
  readonly via: 'ioasidTablePage';
  readonly fd: number;
  readonly ioasid: number;
  readonly addrKind: 'gpa' | 'hpa';
  readonly addr: number;
}

/** A page of a range registered with IOASID_REGISTER_MEMORY (pinned). */
export interface IoasidRegisteredHop {
  readonly via: 'ioasidRegistered';
  readonly fd: number;
  readonly hva: number;
}

/** An mdev access pin: its parent driver pinned `iova` of the IOASID and DMAs by host address. */
export interface AccessPinHop {
  readonly via: 'accessPin';
  readonly device: string;
  readonly fd: number;
  readonly ioasid: number;
  readonly iova: number;
}

/** KVM's PASID translation for a VM's ENQCMD: guest PASID → IOASID of an fd. */
export interface KvmPasidHop {
  readonly via: 'kvmPasid';
  readonly dom: DomId;
  readonly guestPasid: number;
  readonly fd: number;
  readonly ioasid: number;
}

/** A DMA `device` was programmed to do (slot `slot`) and has not done, walked as the device's context is now. */
export interface IoDmaInFlightHop {
  readonly via: 'ioDmaInFlight';
  readonly device: string;
  readonly slot: number;
  readonly pasid: number;
  readonly iova: number;
}

/** This slice's hops, by `via` (merged into the core's HopKinds in src/model/slices.ts). */
export interface IoasidHops {
  ioasidAttach: IoasidAttachHop;
  ioasidMap: IoasidMapHop;
  ioasidShadow: IoasidShadowHop;
  ioasidGuestTable: IoasidGuestTableHop;
  ioasidTablePage: IoasidTablePageHop;
  ioasidRegistered: IoasidRegisteredHop;
  accessPin: AccessPinHop;
  kvmPasid: KvmPasidHop;
  ioDmaInFlight: IoDmaInFlightHop;
}
