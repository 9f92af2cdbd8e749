import { describe, expect, it } from 'vitest';
import { buildVirtioWorld } from '../../../src/model/virtio/world.ts';
import { DEFAULT_SCOPE } from '../../../src/model/core/scope.ts';
import { BACKEND, FRONTEND, GPU_BAR, GPU_BAR_2, NIC_BAR, NIC_GFN, THIRD, failingStateInvariants, world } from '../../fixtures/virtio.ts';

describe('buildVirtioWorld', () => {
  it('builds a backend serving the frontend, which serves the third domain; BARs belong to dom_io', () => {
    const s = world();
    expect(s.domains[BACKEND]).toMatchObject({ kind: 'pvh', targets: [FRONTEND] });
    expect(s.domains[FRONTEND].targets).toEqual([THIRD]);
    for (const bar of [GPU_BAR, GPU_BAR_2, NIC_BAR]) expect(s.frames[bar]).toEqual({ owner: { kind: 'io' }, kind: 'mmio', gen: 1, refcount: 0, freedAt: -1 });
    expect(s.virtio!.iomemCaps).toEqual({ [BACKEND]: [GPU_BAR, GPU_BAR_2], [FRONTEND]: [NIC_BAR] });
    expect(s.domains[FRONTEND].p2m[NIC_GFN]).toEqual({ mfn: NIC_BAR, type: 'mmio_direct', gen: 1, counted: false });
    expect(s.virtio!.devices).toEqual([{ dom: FRONTEND, name: 'nic0' }]);
  });

  it('starts in a state every invariant of the design accepts, and is deterministic', () => {
    expect(failingStateInvariants(world())).toEqual([]);
    expect(world()).toEqual(world());
  });

  it('refuses scopes too small for its domains and BAR frames', () => {
    expect(() => buildVirtioWorld({ ...DEFAULT_SCOPE, domains: 2 })).toThrow(/3 domains/);
    expect(() => buildVirtioWorld({ ...DEFAULT_SCOPE, frames: 18 })).toThrow(/frame 15 is taken/);
  });
});
