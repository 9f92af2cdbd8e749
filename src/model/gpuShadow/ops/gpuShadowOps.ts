/**
 * The operations of the GPU-shadowing designs: the guest's page-table and GGTT writes, emulated device
 * DMA, PPGTT life cycle, the GPU's scheduler and engine, and — for KVM — memslot updates; plus the
 * core operations the device model must hear about (ballooning, domain destruction), wrapped.
 */
import { isMirrored, mirrorsFrame, namesGfn, vgpuOf } from '../shadow.ts';
import { releaseVgpu, invalidateGfn } from './deviceModel.ts';
import { destroyDomain } from '../../core/ops/domains.ts';
import { makeGgttWrite } from './ggtt.ts';
import { gpuComplete, gpuContextSwitch, submitCommand } from './gpuEngine.ts';
import { makeDeviceDmaWrite, makeGuestWritePte } from './guestPageWrites.ts';
import { decreaseReservation, populatePhysmap, xenAllocPage, xenFreePage } from '../../core/ops/memory.ts';
import { makeMemslotMove, memslotSetFlags } from './memslots.ts';
import { makePpgttCreate, makePpgttDestroy } from './ppgtt.ts';
import type { ShadowResolver } from './shadowResolver.ts';
import { addTarget, removeTarget } from '../../core/ops/targets.ts';
import type { OpDef } from '../../core/op.ts';
import { fail } from '../../core/op.ts';
import { isAlive } from '../../core/lookup.ts';

/**
 * XENMEM_decrease_reservation (or a virtio-balloon inflate) with the device model watching: it notes a
 * shadowed page going, and — with `trackDeviceWrites`, the host-mm hook — drops what it built from it.
 */
export function makeShadowedDecreaseReservation(r: ShadowResolver): OpDef {
  return {
    ...decreaseReservation,
    apply(state, args, ctx) {
      const dom = args.dom as number;
      const gfn = args.gfn as number;
      const watched = isAlive(state, dom) && vgpuOf(state, dom) !== undefined;
      if (watched && isMirrored(state, dom, gfn)) ctx.note('pt-page-ballooned-while-shadowed');
      if (watched && namesGfn(state, dom, gfn)) ctx.note('shadowed-page-ballooned');
      const result = decreaseReservation.apply(state, args, ctx);
      if (result.ok && watched && ctx.knobs.trackDeviceWrites === true) invalidateGfn(state, r, dom, gfn, ctx);
      return result;
    },
  };
}

/**
 * An allocation (populate_physmap, or Xen taking a page) with the device model's structures in view:
 * notes when the frame handed out is a page-table page a shadow still mirrors, or the GFN filled is
 * one a shadow mirrors — the page-table page reused as ordinary memory while shadowed.
 */
function noteReuse(op: OpDef): OpDef {
  return {
    ...op,
    apply(state, args, ctx) {
      const mfn = args.mfn as number;
      const refilled = args.gfn !== undefined && isMirrored(state, args.dom as number, args.gfn as number);
      if ((state.frames[mfn] !== undefined && mirrorsFrame(state, mfn)) || refilled) ctx.note('pt-page-reused-while-shadowed');
      return op.apply(state, args, ctx);
    },
  };
}

/** Domain destruction with the device model told first: the client's vGPU is released before its memory goes. */
export function makeShadowedDestroyDomain(r: ShadowResolver): OpDef {
  return {
    ...destroyDomain,
    apply(state, args, ctx) {
      const dom = args.dom as number;
      if (dom === 0) return fail('EPERM');
      if (!isAlive(state, dom)) return fail('ESRCH');
      releaseVgpu(state, r, dom, ctx);
      return destroyDomain.apply(state, args, ctx);
    },
  };
}

/** Operations every GPU-shadowing design has, for a resolver. */
function shadowOps(r: ShadowResolver): OpDef[] {
  return [
    noteReuse(populatePhysmap),
    makeShadowedDecreaseReservation(r),
    noteReuse(xenAllocPage),
    xenFreePage,
    makeShadowedDestroyDomain(r),
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
export function xengtOps(r: ShadowResolver): OpDef[] {
  return [...shadowOps(r), addTarget, removeTarget];
}

/** KVMGT's operations: the shared ones plus the memslot updates page tracking must survive. */
export function kvmgtOps(r: ShadowResolver): OpDef[] {
  return [...shadowOps(r), memslotSetFlags, makeMemslotMove(r)];
}
