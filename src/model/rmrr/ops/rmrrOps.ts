/**
 * The operations of a design with device assignment: the core memory operations, built for the
 * design's teardown (`rmrrTeardown`: devices deassigned when their domain is destroyed, reserved GFNs
 * refused where the design enforces reservations), domain creation that knows about devices,
 * assignment, and device DMA. The GPU's DMA tables play no part here, so `gpuDma` is not listed.
 */
import { makeDestroyDomain } from '../../core/ops/domains.ts';
import { unmapForeign } from '../../core/ops/foreign.ts';
import { endAccess, grantAccess, unmapGrant } from '../../core/ops/grants.ts';
import { xenFreePage } from '../../core/ops/memory.ts';
import { addTarget, removeTarget, setTarget } from '../../core/ops/targets.ts';
import { makeDecreaseReservation, makeMapForeign, makeMapGrant, makePopulatePhysmap, makeXenAllocPage } from '../../core/ops/teardownOps.ts';
import type { OpDef } from '../../core/op.ts';
import type { Teardown } from '../../core/teardown.ts';
import { makeAssignDevice, makeDeassignDevice } from './devices.ts';
import { deviceDma, programDma } from './dma.ts';
import { makeCreateDomain } from './domains.ts';
import type { RmrrSemantics } from './semantics.ts';

/** A design's op list, in the order generation and `shadowcheck list` use (the core's first). */
export function rmrrOps(sem: RmrrSemantics, t: Teardown): OpDef[] {
  return [
    makePopulatePhysmap(t),
    makeDecreaseReservation(t),
    makeXenAllocPage(t),
    xenFreePage,
    grantAccess,
    makeMapGrant(t),
    unmapGrant,
    endAccess,
    makeMapForeign(t),
    unmapForeign,
    setTarget,
    addTarget,
    removeTarget,
    makeCreateDomain(sem),
    makeDestroyDomain(t),
    makeAssignDevice(sem),
    makeDeassignDevice(sem),
    programDma,
    deviceDma,
  ];
}
