import { describe, expect, it } from 'vitest';
import { xenTranslateGpfn } from '../../../src/model/core/designs/xenTranslateGpfn.ts';
import { DEFAULT_SCOPE } from '../../../src/model/core/scope.ts';
import { world } from '../../helpers/world.ts';

describe('buildWorld (the layout the unit tests rely on)', () => {
  it("gives Xen its boot frames, each running domain four frames at gfn 0-3, and leaves the rest free", () => {
    const s = world();
    expect(s.frames.slice(0, 2).map((f) => [f.owner, f.gen, f.refcount])).toEqual([
      [{ kind: 'xen' }, 1, 0],
      [{ kind: 'xen' }, 1, 0],
    ]);
    for (let dom = 0; dom < 4; dom++) {
      const mfns = s.domains[dom].p2m.flatMap((e) => (e === null ? [] : [e.mfn]));
      expect(mfns).toEqual([2, 3, 4, 5].map((m) => m + 4 * dom));
      expect(s.domains[dom]).toMatchObject({ state: 'alive', totPages: 4, maxPages: DEFAULT_SCOPE.maxPages });
    }
    expect(s.frames.slice(18).every((f) => f.owner.kind === 'free' && f.gen === 0 && f.freedAt === -1)).toBe(true);
    expect(s.domains[4].state).toBe('none');
  });

  it('makes dom0 the GPU backend with clients dom1 and dom2, each with an empty DMA table', () => {
    const s = world();
    expect(s.domains[0].targets).toEqual([1, 2]);
    expect(s.gpu.backend).toBe(0);
    expect(Object.keys(s.gpu.tables)).toEqual(['1', '2']);
    expect(s.gpu.tables[1]).toEqual(new Array(DEFAULT_SCOPE.dmaSlots).fill(null));
  });

  it("runs the backend in a PVH dom0 for map-for-DMA and a PV dom0 (1:1 IOMMU) for the 2014 lookup", () => {
    expect(world().domains[0].kind).toBe('pvh');
    expect(world(xenTranslateGpfn).domains[0].kind).toBe('pv-dom0');
  });
});
