import { describe, expect, it } from 'vitest';
import { noForeignReach, type ForeignReachWitness } from '../../../invariants/core/noForeignReach.ts';
import { mapBuffer, mapOnward, revoke } from '../../../src/model/virtio/ops/map.ts';
import { BACKEND, FRONTEND, GPU_BAR, NIC_BAR, NIC_GFN, THIRD, ok, ramOf, stateWitnesses, world } from '../../fixtures/virtio.ts';

const ID = 'no-foreign-reach';

describe('no-foreign-reach over virtio-GPU Maps and MMIO', () => {
  it('lets a domain reach an MMIO frame its iomem_caps permit, and what a live Map chain provides', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: ramOf(BACKEND), gfn: 4 });
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 5 });
    ok(s, mapOnward, { provider: FRONTEND, gfn: 4, dom: THIRD, dstGfn: 6 });
    expect(s.domains[FRONTEND].p2m[NIC_GFN]!.mfn).toBe(NIC_BAR);
    expect(stateWitnesses(ID, s)).toEqual([]);
  });

  it('is violated by an MMIO frame outside the domain iomem_caps that no Map provides', () => {
    const s = world();
    s.domains[THIRD].p2m[6] = { mfn: GPU_BAR, type: 'mmio_direct', gen: 1, counted: false };
    const w = stateWitnesses(ID, s);
    expect(w.map((x) => [x.principal, x.mfn])).toEqual([[{ kind: 'cpu', dom: THIRD }, GPU_BAR]]);
    expect(noForeignReach.describe(w[0] as ForeignReachWitness)).toMatch(/owner dom_io.*not in dom2's iomem_caps and no live Map provides it/);
  });

  it('is violated by an onward Map whose direct Map was revoked without it', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: ramOf(BACKEND), gfn: 4 });
    ok(s, mapOnward, { provider: FRONTEND, gfn: 4, dom: THIRD, dstGfn: 6 });
    ok(s, revoke, { backend: BACKEND, handle: 0 }, { transitiveRevoke: false });
    const w = stateWitnesses(ID, s);
    expect(w.map((x) => x.path)).toEqual([[{ via: 'p2m', dom: THIRD, gfn: 6, type: 'mmio_direct' }, { via: 'virtioMap', handle: 1 }]]);
  });

  it('is violated by a Map entry whose record is gone (nothing authorises it)', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
    s.virtio!.maps[0] = null;
    expect(stateWitnesses(ID, s).map((x) => x.principal!.kind).sort()).toEqual(['cpu', 'device']);
  });
});
