import type { Hop } from '../../src/model/core/path.ts';
import { describe, expect, it } from 'vitest';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import { reach } from '../../src/model/reach.ts';
import type { State } from '../../src/model/core/state.ts';
import { mapForDma, translateGpfn } from '../../src/model/core/ops/dmaAddress.ts';
import { mapForeign } from '../../src/model/core/ops/foreign.ts';
import { makeShadowSet } from '../../src/model/core/ops/dmaTableOps.ts';
import { grantAccess, mapGrant } from '../../src/model/core/ops/grants.ts';
import { applyOk, plain, world } from '../helpers/world.ts';

/** The GFN of a CPU reach path's first hop, its p2m entry. */
function gfnOf(h: Hop): number {
  return h.via === 'p2m' ? h.gfn : -1;
}

/** What one domain's CPU reaches. */
function cpuReachOf(s: State, dom: number) {
  return reach(s).filter((e) => e.principal.kind === 'cpu' && e.principal.dom === dom);
}

function gpuReachOf(s: State) {
  return reach(s).filter((e) => e.principal.kind === 'gpu');
}

describe('reach: a domain\'s CPU', () => {
  it('reaches each frame its p2m maps, writable for RAM, by a one-hop path', () => {
    const s = world();
    expect(reach(s)).toHaveLength(16);
    expect(plain(cpuReachOf(s, 1)[0])).toEqual({
      principal: { kind: 'cpu', dom: 1 },
      mfn: 6,
      write: true,
      path: [{ via: 'p2m', dom: 1, gfn: 0, type: 'ram_rw' }],
    });
  });

  it('reaches read-only RAM without write, MMIO direct with it, and not mmio_dm (those accesses go to the device model)', () => {
    const s = world();
    s.domains[1].p2m[1] = { ...s.domains[1].p2m[1]!, type: 'ram_ro' };
    s.frames[40].kind = 'mmio';
    s.domains[1].p2m[5] = { mfn: 40, type: 'mmio_direct', gen: 0, counted: false };
    s.domains[1].p2m[6] = { mfn: 41, type: 'mmio_dm', gen: 0, counted: false };
    const byGfn = new Map(cpuReachOf(s, 1).map((e) => [gfnOf(e.path[0]), e]));
    expect(byGfn.get(1)!.write).toBe(false);
    expect(byGfn.get(5)).toMatchObject({ mfn: 40, write: true });
    expect(byGfn.has(6)).toBe(false);
  });

  it('goes through the grant for a grant map (read-only stays read-only) and through the target for a foreign map', () => {
    const s = world();
    applyOk(s, grantAccess, { granter: 2, ref: 1, grantee: 0, gfn: 3, readonly: true });
    applyOk(s, mapGrant, { grantee: 0, granter: 2, ref: 1, readonly: true, hostGfn: 8, deviceBfn: -1 });
    applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 2, callerGfn: 9 });
    const byGfn = new Map(cpuReachOf(s, 0).map((e) => [gfnOf(e.path[0]), e]));
    expect(plain(byGfn.get(8))).toEqual({
      principal: { kind: 'cpu', dom: 0 },
      mfn: 13,
      write: false,
      path: [{ via: 'p2m', dom: 0, gfn: 8, type: 'grant_map_ro' }, { via: 'grant', granter: 2, ref: 1 }],
    });
    expect(byGfn.get(9)!.path).toEqual([{ via: 'p2m', dom: 0, gfn: 9, type: 'foreign' }, { via: 'foreign', dom: 1, gfn: 2 }]);
    expect(byGfn.get(9)!.write).toBe(true);
  });

  it('is nothing for a domain that is not running', () => {
    const s = world();
    s.domains[3].state = 'dying';
    expect(cpuReachOf(s, 3)).toEqual([]);
    expect(reach(s)).toHaveLength(12);
  });
});

describe('reach: the GPU', () => {
  it("reaches a raw MFN through the DMA table and a PV dom0's 1:1 IOMMU", () => {
    const s = world(xenTranslateGpfn);
    applyOk(s, makeShadowSet(translateGpfn), { client: 2, slot: 4, gfn: 1 });
    expect(gpuReachOf(s)).toEqual([
      {
        principal: { kind: 'gpu', dom: 0, client: 2 },
        mfn: 11,
        write: true,
        path: [
          { via: 'dmaTable', backend: 0, client: 2, slot: 4, gfn: 1, addr: 11, addrKind: 'mfn' },
          { via: 'iommu', dom: 0, bfn: 11, identity: true },
        ],
      },
    ]);
  });

  it("reaches a mapped BFN through the DMA table and the backend's own IOMMU context", () => {
    const s = world();
    applyOk(s, makeShadowSet(mapForDma), { client: 1, slot: 0, gfn: 3 });
    expect(gpuReachOf(s)).toEqual([
      expect.objectContaining({
        mfn: 9,
        path: [
          { via: 'dmaTable', backend: 0, client: 1, slot: 0, gfn: 3, addr: 0, addrKind: 'bfn' },
          { via: 'iommu', dom: 0, bfn: 0, identity: false },
        ],
      }),
    ]);
  });

  it('reaches nothing where the IOMMU would fault: an unmapped BFN, MMIO under the 1:1 context', () => {
    const pvh = world();
    applyOk(pvh, makeShadowSet(translateGpfn), { client: 1, slot: 0, gfn: 3 });
    expect(gpuReachOf(pvh)).toEqual([]);
    const pv = world(xenTranslateGpfn);
    pv.frames[30].kind = 'mmio';
    pv.gpu.tables[1][0] = { gfn: 0, addr: 30, addrKind: 'mfn', gen: 0 };
    expect(gpuReachOf(pv)).toEqual([]);
  });
});
