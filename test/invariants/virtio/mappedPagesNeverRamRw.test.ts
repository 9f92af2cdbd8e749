import { describe, expect, it } from 'vitest';
import { mappedPagesNeverRamRw, type MappedPageWitness } from '../../../invariants/virtio/mappedPagesNeverRamRw.ts';
import { hypercallStart } from '../../../src/model/virtio/ops/frontend.ts';
import { mapBuffer } from '../../../src/model/virtio/ops/map.ts';
import { steal } from '../../../src/model/virtio/ops/steal.ts';
import { BACKEND, FRONTEND, GPU_BAR, THIRD, designOp, ok, ramOf, stateWitnesses, world } from '../../fixtures/virtio.ts';

const ID = 'mapped-pages-never-ram-rw';
const rw = { mapType: 'ram_rw' };

describe('mapped-pages-never-ram-rw', () => {
  it('holds for mmio_direct and mmio_dm Maps, and for a stolen page the backend shares from its own p2m', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: ramOf(BACKEND), gfn: 5 }, { mapType: 'mmio_dm' });
    ok(s, steal, { backend: BACKEND, dom: FRONTEND, gfns: [0], backendGfns: [4] });
    // THIRD with IOMMU tables of its own: an HVM grantee may not map a device half (GNT-05).
    s.domains[THIRD].kind = 'pvh';
    ok(s, designOp('grantAccess'), { granter: BACKEND, ref: 0, grantee: THIRD, gfn: 4, readonly: false });
    ok(s, designOp('mapGrant'), { grantee: THIRD, granter: BACKEND, ref: 0, readonly: false, hostGfn: 6, deviceBfn: 1 });
    expect(stateWitnesses(ID, s)).toEqual([]);
  });

  it('holds when an old grant names a GFN a Map later lands on: mapping it is refused', () => {
    const s = world();
    ok(s, designOp('grantAccess'), { granter: FRONTEND, ref: 0, grantee: THIRD, gfn: 0, readonly: false });
    s.domains[FRONTEND].p2m[0] = null;
    s.frames[ramOf(FRONTEND)].refcount = 0;
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 0 });
    expect(stateWitnesses(ID, s)).toEqual([]);
  });

  it('is violated by a ram_rw Map', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 }, rw);
    const w = stateWitnesses(ID, s);
    expect(w).toEqual([{ reason: 'map-entry-ram-typed', dom: FRONTEND, mfn: GPU_BAR, holder: { via: 'virtioMap', handle: 0, dom: FRONTEND, gfn: 4 }, expected: 'mmio_direct or mmio_dm', actual: 'ram_rw' }]);
    expect(mappedPagesNeverRamRw.describe(w[0] as MappedPageWitness)).toMatch(/ram_rw at gfn 0x4 of dom1's p2m/);
  });

  it('is violated by a grant mapping, a foreign map and a hypercall through the Mapped GFN', () => {
    const s = world();
    const buf = ramOf(BACKEND);
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: buf, gfn: 4 }, rw);
    s.domains[THIRD].kind = 'pvh'; // a device half needs a grantee that is not paging-external (GNT-05)
    ok(s, designOp('grantAccess'), { granter: FRONTEND, ref: 0, grantee: THIRD, gfn: 4, readonly: false });
    ok(s, designOp('mapGrant'), { grantee: THIRD, granter: FRONTEND, ref: 0, readonly: false, hostGfn: 6, deviceBfn: 2 });
    ok(s, designOp('mapForeign'), { caller: BACKEND, target: FRONTEND, gfn: 4, callerGfn: 7 });
    ok(s, hypercallStart, { dom: FRONTEND, gfn: 4, write: false });
    const w = stateWitnesses(ID, s);
    expect(w.map((x) => [x.reason, x.holder])).toEqual([
      ['map-entry-ram-typed', { via: 'virtioMap', handle: 0, dom: FRONTEND, gfn: 4 }],
      ['mapped-page-foreign-mapped', { via: 'p2m', dom: BACKEND, gfn: 7, type: 'foreign' }],
      ['mapped-page-granted', { via: 'p2m', dom: THIRD, gfn: 6, type: 'grant_map_rw' }],
      ['mapped-page-granted', { via: 'iommu', dom: THIRD, bfn: 2 }],
      ['mapped-page-hypercall-buffer', { via: 'hypercall', dom: FRONTEND, slot: 0, gfn: 4 }],
    ]);
    expect(w.map((x) => mappedPagesNeverRamRw.describe(x as MappedPageWitness)).join('\n')).toMatch(/foreign-mapped by dom0[\s\S]*through a grant of dom1[\s\S]*in-flight hypercall of dom1/);
  });
});
