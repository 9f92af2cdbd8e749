import { describe, expect, it } from 'vitest';
import { GVT_NOTIFIER, initialMemslots } from '../../../src/model/gpuShadow/world.ts';
import { DEFAULT_SCOPE } from '../../../src/model/core/scope.ts';
import { shadowWorld } from '../../fixtures/gpuShadow.ts';

describe('buildGpuShadowWorld', () => {
  it('partitions the global GTT into one slice per client and gives each a vGPU', () => {
    const s = shadowWorld();
    const sh = s.gpu.shadow!;
    expect(sh.ggtt).toEqual(new Array(8).fill(null));
    expect(Object.keys(sh.vgpus)).toEqual(['1', '2']);
    expect(sh.vgpus[1]).toEqual({ ggttBase: 0, vggtt: [-1, -1, -1, -1], ppgtts: [null, null], ring: [] });
    expect(sh.vgpus[2].ggttBase).toBe(4);
    expect(sh.running).toBeNull();
    // The shadows replace the flat DMA tables.
    expect(s.gpu.tables).toEqual({});
  });

  it("tracks the client VMs, with the device model's notifier registered", () => {
    const s = shadowWorld({ counterBits: 16 });
    expect(s.pageTrack!.counterMax).toBe(65535);
    expect(Object.keys(s.pageTrack!.vms)).toEqual(['1', '2']);
    expect(s.pageTrack!.vms[1].notifiers).toEqual([GVT_NOTIFIER]);
  });

  it('KVM worlds have two movable memslots over the low half; Xen one fixed range', () => {
    expect(initialMemslots(DEFAULT_SCOPE, 'kvm').map((m) => [m.base, m.npages])).toEqual([[0, 4], [4, 4]]);
    expect(initialMemslots(DEFAULT_SCOPE, 'xen').map((m) => [m.base, m.npages])).toEqual([[0, 16]]);
    expect(shadowWorld({ memslots: 'xen' }).pageTrack!.vms[2].memslots).toHaveLength(1);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(shadowWorld())).toBe(JSON.stringify(shadowWorld()));
  });
});
