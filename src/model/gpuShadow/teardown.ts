/**
 * What the GVT device model does when the core changes what it shadows: a client's destruction releases
 * its vGPU before its memory goes; a balloon-out of a shadowed page is noted and — with
 * `trackDeviceWrites`, the host-mm hook — the shadow entries built from it are dropped; a frame or GFN
 * handed out while a shadow still mirrors it is noted (the page-table page reused as ordinary memory).
 */
import { isAlive } from '../core/lookup.ts';
import type { Teardown } from '../core/teardown.ts';
import { gpuShadowConfig } from './knobs.ts';
import { invalidateGfn, releaseVgpu } from './ops/deviceModel.ts';
import type { ShadowResolver } from './ops/shadowResolver.ts';
import { isMirrored, mirrorsFrame, namesGfn, vgpuOf } from './shadow.ts';

/** The device model's steps for a resolver. */
export function gpuShadowTeardown(r: ShadowResolver): Teardown {
  return {
    destroyDomain: [
      {
        name: 'release its vGPU',
        doc: "the device model is told first (vgt_release_instance): the client's shadows go while the frames they name are still its own",
        run: (state, dom, ctx) => releaseVgpu(state, r, dom, ctx),
      },
    ],
    balloonOut: [
      {
        name: 'note a shadowed page going',
        doc: 'the page is a page-table page a shadow mirrors, or one a shadow entry names: the seed-002 race in the making',
        before(state, dom, gfn, ctx) {
          const watched = isAlive(state, dom) && vgpuOf(state, dom) !== undefined;
          if (watched && isMirrored(state, dom, gfn)) ctx.note('pt-page-ballooned-while-shadowed');
          if (watched && namesGfn(state, dom, gfn)) ctx.note('shadowed-page-ballooned');
        },
      },
      {
        name: 'drop its shadow entries if told (trackDeviceWrites)',
        doc: 'only with the host-mm hook is the device model told, once Xen has freed the page, and drops what it built from it',
        after(state, dom, gfn, ctx) {
          // A balloon-out changes neither liveness nor the vGPU, so this is the client watched before it.
          const watched = isAlive(state, dom) && vgpuOf(state, dom) !== undefined;
          if (watched && gpuShadowConfig(ctx.knobs).trackDeviceWrites) invalidateGfn(state, r, dom, gfn, ctx);
        },
      },
    ],
    fillGfn: [],
    allocFrame: [
      {
        name: 'note page-table page reuse',
        doc: 'a frame handed out, or a GFN filled, that a shadow still mirrors: the page-table page reused as ordinary memory while shadowed',
        run(state, mfn, at, ctx) {
          const refilled = at !== undefined && isMirrored(state, at.dom, at.gfn);
          if ((state.frames[mfn] !== undefined && mirrorsFrame(state, mfn)) || refilled) ctx.note('pt-page-reused-while-shadowed');
        },
      },
    ],
  };
}
