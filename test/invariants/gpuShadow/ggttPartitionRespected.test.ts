import { describe, expect, it } from 'vitest';
import { ggttPartitionRespected } from '../../../invariants/gpuShadow/ggttPartitionRespected.ts';
import { xengtShadowMap } from '../../../src/model/gpuShadow/designs/xengtShadowMap.ts';
import { clonePlain } from '../../../src/model/core/clone.ts';
import { derive } from '../../../src/model/derived.ts';
import type { State } from '../../../src/model/core/state.ts';
import type { Action } from '../../../src/model/core/op.ts';
import { run, shadowWorld } from '../../fixtures/gpuShadow.ts';

const d = xengtShadowMap;

/** Apply a GGTT write and check the transition. */
function step(s: State, action: Action & { dom: number; index: number; value: number }, knobs = {}) {
  const before = clonePlain(s);
  const { result } = run(d, s, 'ggttWrite', action as never, knobs);
  return ggttPartitionRespected.check(before, action, result, derive(s));
}

describe('ggtt-partition-respected', () => {
  it('holds for writes inside the slice, and for refused writes outside it', () => {
    const s = shadowWorld({ backendKind: 'pvh', memslots: 'xen' });
    expect(step(s, { op: 'ggttWrite', dom: 1, index: 2, value: 1 })).toEqual([]);
    expect(step(s, { op: 'ggttWrite', dom: 1, index: 5, value: 1 })).toEqual([]);
  });

  it("is violated when a VM's write lands in another VM's slice", () => {
    const s = shadowWorld({ backendKind: 'pvh', memslots: 'xen' });
    const w = step(s, { op: 'ggttWrite', dom: 1, index: 5, value: 1 }, { checkGgttPartition: false });
    expect(w).toEqual([{ reason: 'ggtt-write-outside-slice', dom: 1, holder: { via: 'shadowGgtt', index: 5, slice: 2 }, expected: 'not present', actual: 1 }]);
    expect(ggttPartitionRespected.describe(w[0])).toBe("dom1's GGTT write changed shadow GGTT entry 5, in dom2's slice (gfn not present → 1)");
  });

  it('watches only GGTT writes of a VM with a vGPU', () => {
    const s = shadowWorld({ backendKind: 'pvh', memslots: 'xen' });
    expect(ggttPartitionRespected.ops).toEqual(['ggttWrite']);
    expect(ggttPartitionRespected.when!(s, { op: 'ggttWrite', dom: 1, index: 0, value: 0 })).toBe(true);
    expect(ggttPartitionRespected.when!(s, { op: 'ggttWrite', dom: 3, index: 0, value: 0 })).toBe(false);
  });
});
