/**
 * The operations of a design with device assignment: the core memory operations (guarded at reserved
 * GFNs where the design enforces reservations), domain creation and destruction that know about
 * devices, assignment, and device DMA. The GPU's DMA tables play no part here, so `gpuDma` is left out.
 */
import { CORE_OPS } from '../../core/ops/coreOps.ts';
import type { OpDef } from '../../core/op.ts';
import { makeAssignDevice, makeDeassignDevice } from './devices.ts';
import { deviceDma, programDma } from './dma.ts';
import { makeCreateDomain, makeDestroyDomain } from './domains.ts';
import { guardReservedGfn } from './reservedGuard.ts';
import type { RmrrSemantics } from './semantics.ts';

/** Core ops this subsystem replaces or has no use for. */
const REPLACED = new Set(['createDomain', 'destroyDomain', 'gpuDma']);

/** The ops that put something at a GFN of a domain: (op, domain argument, GFN argument). */
const GFN_MAPPERS: Record<string, [string, string]> = {
  populatePhysmap: ['dom', 'gfn'],
  mapForeign: ['caller', 'callerGfn'],
  mapGrant: ['grantee', 'hostGfn'],
};

/** A design's op list. */
export function rmrrOps(sem: RmrrSemantics): OpDef[] {
  const core = CORE_OPS.filter((op) => !REPLACED.has(op.name)).map((op) => {
    const args = GFN_MAPPERS[op.name];
    return sem.enforcesReservation && args !== undefined ? guardReservedGfn(op, args[0], args[1]) : op;
  });
  return [
    ...core,
    makeCreateDomain(sem),
    makeDestroyDomain(sem),
    makeAssignDevice(sem),
    makeDeassignDevice(sem),
    programDma,
    deviceDma,
  ];
}
