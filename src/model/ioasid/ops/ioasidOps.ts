/**
 * The ops of the IOASID designs: the core's that a Linux host has (ballooning is the VMM's fault-in and
 * munmap, a domain's destruction its exit), built with the slice's teardown, then the /dev/ioasid uAPI.
 */
import { coreOpsWith } from '../../core/ops/teardownOps.ts';
import type { OpDef } from '../../core/op.ts';
import { joinTeardowns } from '../../core/teardown.ts';
import type { Teardown } from '../../core/teardown.ts';
import { IOASID_TEARDOWN } from '../teardown.ts';
import { assignDeviceToProcess, attachIoasid, bindIoasidFd, detachIoasid } from './devices.ts';
import { mmapBar } from './bar.ts';
import { kvmSetMemslot } from './memslot.ts';
import { accessPin, ioDma, programIoDma } from './dma.ts';
import { devicePageRequest, faultRespond } from './faults.ts';
import { ioasidClose, ioasidOpen } from './fds.ts';
import { createNesting, ioasidAlloc, ioasidFree } from './ioasids.ts';
import { dmaMap, dmaUnmap } from './mapping.ts';
import { bindPasidTable, bindPgtable, cacheInvalidate, guestWriteIoPte } from './nesting.ts';
import { enqcmd, kvmMapPasid } from './pasid.ts';
import { aimedMunmap } from './munmap.ts';
import { registerMemory, setMemlock, unregisterMemory } from './registration.ts';

/** The IOASID designs' teardown: the slice's steps, then the core's. */
export const IOASID_DESIGN_TEARDOWN: Teardown = joinTeardowns(IOASID_TEARDOWN);

/** The ops every IOASID-fd design shares, in the order `shadowcheck list` shows them. */
export const IOASID_UAPI_OPS: readonly OpDef[] = [
  ioasidOpen,
  ioasidClose,
  assignDeviceToProcess,
  bindIoasidFd,
  ioasidAlloc,
  createNesting,
  ioasidFree,
  attachIoasid,
  detachIoasid,
  registerMemory,
  unregisterMemory,
  setMemlock,
  mmapBar,
  kvmSetMemslot,
  dmaMap,
  dmaUnmap,
  bindPgtable,
  bindPasidTable,
  cacheInvalidate,
  guestWriteIoPte,
  kvmMapPasid,
  enqcmd,
  programIoDma,
  ioDma,
  accessPin,
  devicePageRequest,
  faultRespond,
];

/** The legacy VFIO type1 container's ops: no pre-registration, no nesting, no PASIDs or I/O page faults. */
const NOT_IN_TYPE1 = new Set(['registerMemory', 'unregisterMemory', 'createNesting', 'bindPgtable', 'bindPasidTable', 'cacheInvalidate', 'guestWriteIoPte', 'kvmMapPasid', 'enqcmd', 'devicePageRequest', 'faultRespond']);

/**
 * The core ops a Linux host has: a VMM's page fault-in (populate_physmap), munmap (decrease_reservation),
 * the kernel taking and freeing pages for itself, a process's start and exit. Grants, foreign maps,
 * target lists and the XenGT flat DMA table are Xen's and have no counterpart here.
 */
const HOST_CORE_OPS = new Set(['populatePhysmap', 'decreaseReservation', 'xenAllocPage', 'xenFreePage', 'createDomain', 'destroyDomain']);

function hostCoreOps(): OpDef[] {
  return coreOpsWith(IOASID_DESIGN_TEARDOWN)
    .filter((o) => HOST_CORE_OPS.has(o.name))
    .map((o) => (o.name === 'decreaseReservation' ? aimedMunmap(o as OpDef<{ dom: number; gfn: number }>) : o));
}

/** Ops of an `ioasid-fd` design. */
export function ioasidFdOps(): OpDef[] {
  return [...hostCoreOps(), ...IOASID_UAPI_OPS];
}

/** Ops of the `vfio-type1-container` design. */
export function vfioType1Ops(): OpDef[] {
  return [...hostCoreOps(), ...IOASID_UAPI_OPS.filter((o) => !NOT_IN_TYPE1.has(o.name))];
}
