/**
 * Per-process GTTs (seed 000, Kevin Tian 2014-12-10 01:48: "multiple per-process GPU page tables are
 * created by each VM, and multiple shadow per-process GPU page tables are created correspondingly").
 * The guest's GPU driver tells its vGPU about a new PPGTT — the root page it built in its own RAM — and
 * about one it stops using; the device model shadows the first and drops the second. A guest may also
 * simply stop using a PPGTT and reuse or balloon out its pages without saying so.
 */
import { isMirrored, livePpgtts, liveVgpuClients, vgpuOf } from '../shadow.ts';
import { isAlive, pickFrom, ramGfns } from '../../core/lookup.ts';
import { releasePpgtt, shadowPpgtt } from './deviceModel.ts';
import type { ShadowResolver } from './shadowResolver.ts';
import type { OpResult } from '../../core/op.ts';
import { defineOp, fail, OK, okValue } from '../../core/op.ts';

/** The guest announces a PPGTT rooted at its page `root`; the device model tracks and shadows it. */
export function makePpgttCreate(r: ShadowResolver) {
  return defineOp({
    name: 'ppgttCreate',
    actor: 'guest',
    weight: 3,
    doc: 'guest driver announces a PPGTT whose root (page directory) is its page root; the device model write-tracks its pages and builds the shadow',
    gen: { dom: { kind: 'pick' }, root: { kind: 'pick' } },
    resolve(state, raw) {
      const dom = pickFrom(liveVgpuClients(state), raw.dom);
      if (dom === undefined) return null;
      const root = pickFrom(ramGfns(state, dom), raw.root);
      return root === undefined ? null : { dom, root };
    },
    enabled: (state, a) => isAlive(state, a.dom),
    apply(state, { dom, root }, ctx): OpResult {
      if (!isAlive(state, dom)) return fail('ESRCH');
      const vgpu = vgpuOf(state, dom);
      if (vgpu === undefined) return fail('ENOENT');
      if (root < 0 || root >= state.domains[dom].p2m.length) return fail('EINVAL');
      const slot = vgpu.ppgtts.indexOf(null);
      if (slot < 0) return fail('ENOSPC');
      if (isMirrored(state, dom, root)) ctx.note('pt-page-shared-by-shadows');
      const p = shadowPpgtt(state, r, dom, root, ctx);
      if (!('root' in p)) return p;
      vgpu.ppgtts[slot] = p;
      return okValue(slot);
    },
  });
}

/** The guest says it no longer uses a PPGTT; the device model drops the shadow and untracks its pages. */
export function makePpgttDestroy(r: ShadowResolver) {
  return defineOp({
    name: 'ppgttDestroy',
    actor: 'guest',
    weight: 1,
    doc: 'guest driver retires PPGTT ppgtt; the device model drops its shadow and untracks its pages',
    gen: { dom: { kind: 'pick' }, ppgtt: { kind: 'pick' } },
    resolve(state, raw) {
      const dom = pickFrom(liveVgpuClients(state), raw.dom);
      if (dom === undefined) return null;
      const vgpu = vgpuOf(state, dom)!;
      const ppgtt = pickFrom(livePpgtts(vgpu), raw.ppgtt);
      return ppgtt === undefined ? null : { dom, ppgtt };
    },
    enabled: (state, a) => isAlive(state, a.dom),
    apply(state, { dom, ppgtt }, ctx) {
      if (!isAlive(state, dom)) return fail('ESRCH');
      const vgpu = vgpuOf(state, dom);
      const p = vgpu?.ppgtts[ppgtt];
      if (vgpu === undefined || p === null || p === undefined) return fail('ENOENT');
      releasePpgtt(state, r, dom, p, ctx);
      vgpu.ppgtts[ppgtt] = null;
      const running = state.gpu.shadow!.running;
      if (running?.client === dom && running.ppgtt === ppgtt) running.ppgtt = -1;
      return OK;
    },
  });
}
