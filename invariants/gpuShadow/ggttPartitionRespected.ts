/**
 * ggtt-partition-respected (transition) — a VM's global-GTT write changes only its own slice of the
 * shadow GGTT. Seed 000, Kevin Tian 2014-12-10 01:48: "a shared shadow global page table is maintained,
 * containing translations for multiple VMs simultaneously based on partitioning information".
 * Check it alone: `npx shadowcheck fuzz --invariant ggtt-partition-respected`
 */
import { deepEqual } from '../../src/model/core/equal.ts';
import { inSlice, sliceOwner } from '../../src/model/gpuShadow/shadow.ts';
import type { HolderWitness, TransitionInvariant } from '../types.ts';
import type { ArgsOf } from '../../src/model/core/op.ts';
import type { makeGgttWrite } from '../../src/model/gpuShadow/ops/ggtt.ts';

/** A guest GGTT write that changed a shadow GGTT entry outside the writer's slice (`slice`: whose it is, -1 none). */
export interface GgttPartitionWitness extends HolderWitness<'shadowGgtt', 'ggtt-write-outside-slice'> {
  dom: number;
}

export const ggttPartitionRespected: TransitionInvariant<GgttPartitionWitness, ArgsOf<ReturnType<typeof makeGgttWrite>>> = {
  kind: 'transition',
  id: 'ggtt-partition-respected',
  title: "a VM's global-GTT write changes only its own slice of the shadow",
  category: 'security',
  level: 2,
  rationale:
    'The global GTT is one table shared by every client; a write that lands in another VM\'s slice redirects that VM\'s GPU work and aperture accesses to memory of the writer\'s choosing.',
  source: 'seed 000: Kevin Tian 2014-12-10 01:48 (partitioned global GTT); Tim Deegan 2014-12-11 21:29 (level 2)',
  ops: ['ggttWrite'],
  when: (before, action) => before.gpu.shadow?.vgpus[action.dom] !== undefined,
  check(before, action, _result, after) {
    const dom = action.dom;
    const vgpu = before.gpu.shadow!.vgpus[dom];
    const was = before.gpu.shadow!.ggtt;
    const now = after.state.gpu.shadow!.ggtt;
    const out: GgttPartitionWitness[] = [];
    for (let i = 0; i < now.length; i++) {
      if (inSlice(vgpu, i) || deepEqual(was[i], now[i])) continue;
      out.push({
        reason: 'ggtt-write-outside-slice',
        dom,
        holder: { via: 'shadowGgtt', index: i, slice: sliceOwner(before, i) ?? -1 },
        expected: was[i]?.gfn ?? 'not present',
        actual: now[i]?.gfn ?? 'not present',
      });
    }
    return out;
  },
  describe: (w) =>
    `dom${w.dom}'s GGTT write changed shadow GGTT entry ${w.holder.index}, in ${(w.holder.slice ?? -1) < 0 ? 'no VM' : `dom${w.holder.slice}`}'s slice (gfn ${String(w.expected)} → ${String(w.actual)})`,
};
