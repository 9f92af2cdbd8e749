import { describe, expect, it } from 'vitest';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import { refs, refsTo } from '../../src/model/refs.ts';
import { mapForDma, translateGpfn } from '../../src/model/core/ops/dmaAddress.ts';
import { mapForeign } from '../../src/model/core/ops/foreign.ts';
import { makeShadowSet } from '../../src/model/core/ops/dmaTableOps.ts';
import { grantAccess, mapGrant } from '../../src/model/core/ops/grants.ts';
import { applyOk, plain, world } from '../helpers/world.ts';

describe('refs', () => {
  it("holds one counted p2m reference per populated gfn at the world's start", () => {
    const s = world();
    const all = refs(s);
    expect(all).toHaveLength(16);
    expect(all.every((r) => r.counted && r.gen === 1 && r.holder.via === 'p2m')).toBe(true);
    expect(plain(refsTo(s, 6))).toEqual([{ mfn: 6, gen: 1, counted: true, holder: { via: 'p2m', dom: 1, gfn: 0, type: 'ram_rw' } }]);
  });

  it('adds the host and device sides of a grant map, and a foreign map, as counted references', () => {
    const s = world();
    applyOk(s, grantAccess, { granter: 1, ref: 0, grantee: 0, gfn: 0, readonly: false });
    applyOk(s, mapGrant, { grantee: 0, granter: 1, ref: 0, readonly: false, hostGfn: 8, deviceBfn: 5 });
    applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 0, callerGfn: 9 });
    expect(refsTo(s, 6).map((r) => [r.holder, r.counted])).toEqual([
      [{ via: 'p2m', dom: 0, gfn: 8, type: 'grant_map_rw' }, true],
      [{ via: 'p2m', dom: 0, gfn: 9, type: 'foreign' }, true],
      [{ via: 'iommu', dom: 0, bfn: 5 }, true],
      [{ via: 'p2m', dom: 1, gfn: 0, type: 'ram_rw' }, true],
    ]);
  });

  it('adds a raw-MFN DMA table entry as an uncounted reference at the generation it named', () => {
    const s = world(xenTranslateGpfn);
    applyOk(s, makeShadowSet(translateGpfn), { client: 1, slot: 2, gfn: 0 });
    s.frames[6].gen = 5;
    expect(refsTo(s, 6)).toContainEqual({ mfn: 6, gen: 1, counted: false, holder: { via: 'dmaTable', backend: 0, client: 1, slot: 2 } });
  });

  it('adds a map-for-DMA entry twice: the counted IOMMU mapping and the uncounted DMA table slot using it', () => {
    const s = world();
    applyOk(s, makeShadowSet(mapForDma), { client: 1, slot: 2, gfn: 0 });
    expect(refsTo(s, 6).map((r) => [r.holder.via, r.counted])).toEqual([
      ['iommu', true],
      ['p2m', true],
      ['dmaTable', false],
    ]);
  });

  it("dates a DMA table slot's reference by the slot's own generation, not the IOMMU entry's", () => {
    const s = world();
    applyOk(s, makeShadowSet(mapForDma), { client: 1, slot: 2, gfn: 0 });
    s.gpu.tables[1][2] = { ...s.gpu.tables[1][2]!, gen: 0 };
    expect(refsTo(s, 6).find((r) => r.holder.via === 'dmaTable')!.gen).toBe(0);
  });

  it('names no frame for a DMA address the IOMMU would fault on', () => {
    const s = world();
    applyOk(s, makeShadowSet(translateGpfn), { client: 1, slot: 2, gfn: 0 });
    expect(refs(s).some((r) => r.holder.via === 'dmaTable')).toBe(false);
  });

  it("keeps a dying domain's tables and ignores spare and dead ones", () => {
    const s = world();
    s.domains[1].state = 'dying';
    s.domains[2].state = 'dead';
    s.domains[3].state = 'none';
    const doms = new Set(refs(s).map((r) => ('dom' in r.holder ? r.holder.dom : undefined)));
    expect([...doms].sort()).toEqual([0, 1]);
  });
});
