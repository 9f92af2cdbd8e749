import { describe, expect, it } from 'vitest';
import type { Hop } from '../../../src/model/core/path.ts';
import { reach } from '../../../src/model/reach.ts';
import { refs } from '../../../src/model/refs.ts';
import { descendants, flushAndWait, mayProvide, providedByMap, rootMap } from '../../../src/model/virtio/maps.ts';
import { buildWorld } from '../../../src/model/core/world.ts';
import { DEFAULT_SCOPE } from '../../../src/model/core/scope.ts';
import { deviceDmaStart, hypercallStart } from '../../../src/model/virtio/ops/frontend.ts';
import { mapBuffer, mapOnward, revoke } from '../../../src/model/virtio/ops/map.ts';
import { BACKEND, FRONTEND, GPU_BAR, NIC_BAR, THIRD, ok, ramOf, world } from '../../fixtures/virtio.ts';

describe('virtio reach sources', () => {
  it('the passthrough device reaches what the shared-EPT IOMMU maps: RAM and mmio_direct, not mmio_dm', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: ramOf(BACKEND), gfn: 5 }, { mapType: 'mmio_dm' });
    const device = reach(s).filter((e) => e.principal.kind === 'device');
    expect(device.map((e) => e.mfn).sort((a, b) => a - b)).toEqual([6, 7, 8, 9, GPU_BAR, NIC_BAR]);
    expect(device.find((e) => e.mfn === GPU_BAR)!.path).toEqual([
      { via: 'iommu', dom: FRONTEND, bfn: 4, shared: true },
      { via: 'p2m', dom: FRONTEND, gfn: 4, type: 'mmio_direct' },
      { via: 'virtioMap', handle: 0 },
    ]);
    expect(reach(s).some((e) => e.mfn === ramOf(BACKEND) && e.principal.dom === FRONTEND)).toBe(false);
  });

  it('a DMA in flight reaches its frame through the entry while it lasts, and alone after it is gone', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
    ok(s, deviceDmaStart, { dom: FRONTEND, bfn: 4, write: true });
    const inFlight = () => reach(s).filter((e) => e.path[0].via === 'dmaInFlight');
    expect(inFlight().map((e) => e.path.map((h) => h.via))).toEqual([['dmaInFlight', 'p2m', 'virtioMap']]);
    s.domains[FRONTEND].p2m[4] = null;
    expect(inFlight().map((e) => e.path.map((h) => h.via))).toEqual([['dmaInFlight']]);
    flushAndWait(s);
    expect(inFlight()).toEqual([]);
  });

  it('a hypercall in flight reaches its buffer as the caller CPU and holds a counted reference; a DMA holds none', () => {
    const s = world();
    ok(s, hypercallStart, { dom: FRONTEND, gfn: 1, write: true });
    ok(s, deviceDmaStart, { dom: FRONTEND, bfn: 2, write: false });
    expect(reach(s).filter((e) => e.path[0].via === 'hypercall').map((e) => [e.principal, e.mfn, e.write])).toEqual([[{ kind: 'cpu', dom: FRONTEND }, ramOf(FRONTEND, 1), true]]);
    const extra = refs(s).filter((r) => r.holder.via === 'hypercall' || r.holder.via === 'dmaInFlight');
    expect(extra.map((r) => [r.holder.via, r.mfn, r.counted])).toEqual([
      ['hypercall', ramOf(FRONTEND, 1), true],
      ['dmaInFlight', ramOf(FRONTEND, 2), false],
    ]);
  });

  it('adds nothing in a world without virtio-GPU', () => {
    const s = buildWorld(DEFAULT_SCOPE, { backendKind: 'pvh', clients: [1] });
    expect(reach(s).every((e) => e.principal.kind === 'cpu' && e.path.length === 1)).toBe(true);
  });
});

describe('Map chains', () => {
  it('a backend may provide its own RAM and the BARs in its iomem_caps only', () => {
    const s = world();
    expect([mayProvide(s, BACKEND, ramOf(BACKEND)), mayProvide(s, BACKEND, GPU_BAR)]).toEqual([true, true]);
    expect([mayProvide(s, BACKEND, ramOf(FRONTEND)), mayProvide(s, BACKEND, NIC_BAR), mayProvide(s, BACKEND, 999)]).toEqual([false, false, false]);
  });

  it('an onward Map descends from its Map and is authorised through it until the Map is revoked', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
    ok(s, mapOnward, { provider: FRONTEND, gfn: 4, dom: THIRD, dstGfn: 6 });
    const v = s.virtio!;
    expect(descendants(v, 0)).toEqual([1]);
    expect(rootMap(v, 1)).toBe(v.maps[0]);
    const path: Hop[] = [{ via: 'p2m', dom: THIRD, gfn: 6 }, { via: 'virtioMap', handle: 1 }];
    expect(providedByMap(s, path, GPU_BAR)).toBe(true);
    expect(providedByMap(s, path, NIC_BAR)).toBe(false);
    ok(s, revoke, { backend: BACKEND, handle: 0 }, { transitiveRevoke: false });
    expect(providedByMap(s, path, GPU_BAR)).toBe(false);
  });
});
