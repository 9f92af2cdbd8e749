/**
 * gpu-reaches-only-own-vm — whatever the GPU reaches while running VM X's context, and whatever X's CPU
 * reaches through its slice of the PCI aperture, is X's memory: never another client's, a non-client's,
 * a free frame or Xen's. Tim Deegan's level 2 (seed 000, 2014-12-11 21:29: "Isolate XenGT's clients
 * from each other"), over Kevin Tian's two translation paths (2014-12-10 08:47).
 * Check it alone: `npx shadowcheck fuzz --invariant gpu-reaches-only-own-vm`
 */
import { pathText } from '../../src/model/words.ts';
import { ShadowReach } from '../../src/model/gpuShadow/reach.ts';
import { P2mReach } from '../../src/model/core/p2mPath.ts';
import type { ReachEntry } from '../../src/model/core/path.ts';
import type { ReachWitness, StateInvariant } from '../types.ts';

/** First hops of the paths through a vGPU: its shadow tables, its queued commands, its aperture slice. */
const VGPU_HOPS = new Set(['shadowGgtt', 'shadowPpgtt', 'gpuCommand', 'aperture']);

/**
 * The VM whose memory a reach entry must stay in: the client whose context the GPU runs, or the owner
 * of the aperture slice; undefined for paths that do not go through a vGPU (a CPU's p2m; the core's
 * flat DMA table, which has no contexts and is held to level 1 by no-foreign-reach).
 */
export function confinedTo(e: ReachEntry): number | undefined {
  // Reach is rebuilt every step and most facts build their path lazily: answer from the fact's class
  // where it tells. Every path through a vGPU is a ShadowReach (src/model/gpuShadow/reach.ts), which knows its VM;
  // a P2mReach's path starts at a p2m entry (or, for a device sharing the EPT, the IOMMU hop before it).
  if (e instanceof ShadowReach) return e.confinedTo;
  if (e instanceof P2mReach) return undefined;
  if (e.path.length === 0 || !VGPU_HOPS.has(e.path[0].via)) return undefined;
  return e.principal.kind === 'gpu' ? e.principal.client : e.principal.dom;
}

/** The GPU (or a VM's aperture) reaching a frame outside the VM it must stay in (`dom`). */
export interface GpuReachWitness extends ReachWitness<'gpu-reaches-outside-running-vm' | 'aperture-reaches-outside-vm'> {
  dom: number;
}

export const gpuReachesOnlyOwnVm: StateInvariant<GpuReachWitness> = {
  kind: 'state',
  id: 'gpu-reaches-only-own-vm',
  title: "the GPU running VM X, and X's aperture, reach only X's memory",
  category: 'security',
  level: 2,
  rationale:
    'The GPU is shared: one IOMMU context serves every client, so only the shadow tables and the command audit keep one VM\'s GPU work — and its aperture accesses — out of the others\' memory.',
  source: 'seed 000: Tim Deegan 2014-12-11 21:29 (level 2); Kevin Tian 2014-12-10 08:47 (translation paths)',
  check(d) {
    const out: GpuReachWitness[] = [];
    for (const e of d.reach()) {
      const vm = confinedTo(e);
      if (vm === undefined) continue;
      const f = d.state.frames[e.mfn];
      if (f.owner.kind === 'dom' && f.owner.dom === vm) continue;
      out.push({
        reason: e.principal.kind === 'gpu' ? 'gpu-reaches-outside-running-vm' : 'aperture-reaches-outside-vm',
        principal: e.principal,
        dom: vm,
        mfn: e.mfn,
        path: e.path,
        frame: { owner: f.owner, gen: f.gen, refcount: f.refcount },
      });
    }
    return out;
  },
  describe(w) {
    const owner = w.frame.owner;
    const whose = owner.kind === 'dom' ? `dom${owner.dom}'s memory` : owner.kind === 'free' ? 'a free frame the heap may hand to anyone' : "Xen's own memory";
    return `${pathText(w.principal, w.path, w.mfn, w.frame)}: ${whose}, not dom${w.dom}'s`;
  },
};
