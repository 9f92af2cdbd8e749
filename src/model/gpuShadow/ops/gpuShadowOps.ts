/**
 * The operations of the GPU-shadowing designs: the guest's page-table and GGTT writes, emulated device
 * DMA, PPGTT life cycle, the GPU's scheduler and engine, and — for KVM — memslot updates; plus the
 * core operations the device model must hear about (ballooning, allocation, domain destruction), built
 * for the design's teardown (`gpuShadowTeardown`), which says what the device model does in them.
 */
import { makeDestroyDomain } from '../../core/ops/domains.ts';
import { makeDecreaseReservation, makePopulatePhysmap, makeXenAllocPage } from '../../core/ops/teardownOps.ts';
import type { Teardown } from '../../core/teardown.ts';
import { makeGgttWrite } from './ggtt.ts';
import { gpuComplete, gpuContextSwitch, submitCommand } from './gpuEngine.ts';
import { makeDeviceDmaWrite, makeGuestWritePte } from './guestPageWrites.ts';
import { xenFreePage } from '../../core/ops/memory.ts';
import { makeMemslotDelete, makeMemslotMove, memslotSetFlags } from './memslots.ts';
import { makeVfioDmaUnmap } from './vfioUnmap.ts';
import { makePpgttCreate, makePpgttDestroy } from './ppgtt.ts';
import type { ShadowResolver } from './shadowResolver.ts';
import { addTarget, removeTarget } from '../../core/ops/targets.ts';
import type { OpDef } from '../../core/op.ts';

/** Operations every GPU-shadowing design has, for a resolver and the design's teardown. */
function shadowOps(r: ShadowResolver, t: Teardown): OpDef[] {
  return [
    makePopulatePhysmap(t),
    makeDecreaseReservation(t),
    makeXenAllocPage(t),
    xenFreePage,
    makeDestroyDomain(t),
    makeGuestWritePte(r),
    makeDeviceDmaWrite(r),
    makePpgttCreate(r),
    makePpgttDestroy(r),
    makeGgttWrite(r),
    gpuContextSwitch,
    submitCommand,
    gpuComplete,
  ];
}

/** XenGT's operations: the shared ones plus the target list that governs what the backend may map. */
export function xengtOps(r: ShadowResolver, t: Teardown): OpDef[] {
  return [...shadowOps(r, t), addTarget, removeTarget];
}

/** KVMGT's operations: the shared ones plus the VMM's memslot updates page tracking must survive, and its vfio unmaps. */
export function kvmgtOps(r: ShadowResolver, t: Teardown): OpDef[] {
  return [...shadowOps(r, t), memslotSetFlags, makeMemslotMove(r), makeMemslotDelete(r), makeVfioDmaUnmap(r)];
}
