/**
 * The partitioned global GTT (seed 000, Kevin Tian 2014-12-10 01:48: "a global GPU page table is
 * partitioned among VMs. a shared shadow global page table is maintained, containing translations for
 * multiple VMs simultaneously based on partitioning information"). The GGTT sits behind an MMIO BAR:
 * a guest's write to it traps and the device model emulates it — keeping the guest's view, refusing
 * entries outside the VM's slice, and filling the shadow entry with the design's resolver.
 */
import { inSlice, liveVgpuClients, vgpuOf } from '../shadow.ts';
import { GGTT_SLICE } from '../sizes.ts';
import { NOT_PRESENT } from '../guestPages.ts';
import { isAlive, pickFrom } from '../../core/lookup.ts';
import type { State } from '../../core/state.ts';
import { releaseEntry, shadowEntry } from './deviceModel.ts';
import { pickValue } from './guestPageWrites.ts';
import type { ShadowResolver } from './shadowResolver.ts';
import { defineOp, fail, OK } from '../../core/op.ts';
import { gpuShadowConfig } from '../knobs.ts';

/** First GGTT indices of every vGPU's slice, the given VM's own first (then by domain id). */
export function sliceBases(state: State, dom: number): number[] {
  const vgpus = state.gpu.shadow?.vgpus;
  if (vgpus === undefined) return [];
  const own = vgpus[dom]?.ggttBase;
  const out: number[] = own === undefined ? [] : [own];
  // vGPUs are keyed by domain id: walk ids in order (the record's key order) rather than enumerate keys.
  for (let c = 0; c < state.domains.length; c++) {
    const vgpu = vgpus[c];
    if (vgpu !== undefined && c !== dom) out.push(vgpu.ggttBase);
  }
  return out;
}

/** A guest's trapped MMIO write of one global-GTT entry, emulated by the device model. */
export function makeGgttWrite(r: ShadowResolver) {
  return defineOp({
    name: 'ggttWrite',
    actor: 'guest',
    weight: 3,
    doc: "guest writes global-GTT entry index (a GFN, or -1) through the GPU's MMIO BAR; the trap is emulated by the device model, which shadows it if the index is in the VM's slice",
    gen: {
      dom: { kind: 'pick' },
      slice: { kind: 'pick' },
      // A pick (often 0) rather than a uniform index: two actions naming the same entry is what races are made of.
      offset: { kind: 'pick' },
      target: { kind: 'pick' },
      present: { kind: 'bool' },
    },
    resolve(state, raw) {
      const dom = pickFrom(liveVgpuClients(state), raw.dom);
      if (dom === undefined) return null;
      const base = pickFrom(sliceBases(state, dom), raw.slice);
      if (base === undefined) return null;
      return { dom, index: base + (raw.offset % GGTT_SLICE), value: pickValue(state, dom, raw) };
    },
    enabled: (state, a) => isAlive(state, a.dom),
    apply(state, { dom, index, value }, ctx) {
      if (!isAlive(state, dom)) return fail('ESRCH');
      const vgpu = vgpuOf(state, dom);
      if (vgpu === undefined) return fail('ENOENT');
      const ggtt = state.gpu.shadow!.ggtt;
      if (index < 0 || index >= ggtt.length) return fail('EINVAL');
      if (value !== NOT_PRESENT && (value < 0 || value >= state.domains[dom].p2m.length)) return fail('EINVAL');
      if (inSlice(vgpu, index)) {
        vgpu.vggtt[index - vgpu.ggttBase] = value;
      } else if (gpuShadowConfig(ctx.knobs).checkGgttPartition) {
        ctx.note('ggtt-write-outside-partition-refused');
        return fail('EACCES');
      } else {
        ctx.note('ggtt-write-outside-partition-accepted');
      }
      const old = ggtt[index];
      ggtt[index] = shadowEntry(state, r, dom, value, ctx);
      releaseEntry(state, r, old);
      return OK;
    },
  });
}
