/**
 * The one device-DMA model (src/model/core/device/): the permission rule, the page walk per context,
 * the IOTLB (fill, cached translation after an unmap, held-back put_page, flush), a PVH backend whose
 * IOMMU is its p2m, map-for-DMA's collision rules, and foreign maps reachable by device DMA.
 */
import { describe, expect, it } from 'vitest';
import { dmaReadable, dmaWritable, iommuFlags } from '../../../src/model/core/device/flags.ts';
import { walkContext } from '../../../src/model/core/device/context.ts';
import { emptyIotlb, iotlbLookup } from '../../../src/model/core/device/iotlb.ts';
import { performDma, translateDma } from '../../../src/model/core/device/translate.ts';
import { flushIotlb, putRef } from '../../../src/model/core/frames.ts';
import { xenMapForDma } from '../../../src/model/core/designs/xenMapForDma.ts';
import { mapForeign, unmapForeign } from '../../../src/model/core/ops/foreign.ts';
import { shadowSetAt } from '../../../src/model/core/ops/dmaAtOps.ts';
import { dmaAddressRefusal } from '../../../src/model/core/ops/dmaAddress.ts';
import { reach } from '../../../src/model/reach.ts';
import { refs as allRefs } from '../../../src/model/refs.ts';
const refs = allRefs;
import { INVARIANTS } from '../../../invariants/registry.ts';
import { derive } from '../../../src/model/derived.ts';
import { apply, applyOk, ctx, world } from '../../helpers/world.ts';

const iotlbInv = INVARIANTS.find((i) => i.id === 'iotlb-flushed-before-free')!;

describe('the permission rule (p2m_get_iommu_flags)', () => {
  it('RAM and grant maps as the p2m types them, MMIO and foreign maps read-write, emulated MMIO not at all', () => {
    expect(iommuFlags('ram_rw')).toBe('rw');
    expect(iommuFlags('ram_ro')).toBe('r');
    expect(iommuFlags('grant_map_ro')).toBe('r');
    expect(iommuFlags('foreign')).toBe('rw');
    expect(iommuFlags('mmio_direct')).toBe('rw');
    expect(dmaReadable('mmio_dm')).toBe(false);
    expect(dmaWritable('ram_ro')).toBe(false);
  });
});

describe('contexts', () => {
  it('a shared-EPT context walks the p2m: a foreign map is DMA-reachable, and stays so after its target lets the frame go', () => {
    const s = world();
    applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 0, callerGfn: 9 });
    const c = { kind: 'shared-ept', dom: 0 } as const;
    expect(walkContext(s, c, 9)).toEqual({ mfn: 6, gen: 1, write: true });
    // Issue 17 row 2: a stale foreign map is a stale DMA path — the foreign map keeps the frame.
    s.domains[1].p2m[0] = null;
    putRef(s, 6);
    expect(translateDma(s, c, 9)?.mfn).toBe(6);
    applyOk(s, unmapForeign, { caller: 0, callerGfn: 9 });
    expect(translateDma(s, c, 9)).toBeUndefined();
  });

  it('a table context holds only what was mapped; an identity context is 1:1 over RAM', () => {
    const s = world();
    expect(walkContext(s, { kind: 'table', dom: 0 }, 2)).toBeUndefined();
    expect(walkContext(s, { kind: 'identity', dom: 0 }, 7)).toMatchObject({ mfn: 7, write: true });
    expect(walkContext(s, { kind: 'quarantine', identity: [3] }, 3)).toMatchObject({ mfn: 3 });
    expect(walkContext(s, { kind: 'quarantine', identity: [3] }, 4)).toBeUndefined();
  });
});

describe('the IOTLB', () => {
  it('nothing is cached when flushes are not deferred', () => {
    const s = world();
    performDma(s, { kind: 'shared-ept', dom: 1 }, 0, { kind: 'device', dom: 1, device: 'nic0' }, ctx());
    expect(s.iotlb).toBeUndefined();
  });

  it('a DMA caches its translation; after the unmap the device still reaches the frame, whose put_page waits for the flush', () => {
    const s = world();
    s.iotlb = emptyIotlb(false);
    const c = { kind: 'shared-ept', dom: 1 } as const;
    const who = { kind: 'device', dom: 1, device: 'nic0' } as const;
    performDma(s, c, 0, who, ctx());
    expect(iotlbLookup(s, 'dom1', 0)).toMatchObject({ mfn: 6, gen: 1 });
    // The guest balloons the page out: the PTE goes, the cached translation stays, the put is held back.
    s.domains[1].p2m[0] = null;
    putRef(s, 6);
    expect(s.frames[6]).toMatchObject({ owner: { kind: 'dom', dom: 1 }, refcount: 1 });
    const notes = ctx();
    expect(performDma(s, c, 0, who, notes)).toMatchObject({ mfn: 6, cached: true });
    expect(notes.notes).toEqual(['dma-through-cached-translation-after-unmap']);
    expect(reach(s).some((r) => r.mfn === 6 && r.path[0].via === 'iotlb')).toBe(true);
    expect(allRefs(s).filter((r) => r.mfn === 6).map((r) => [r.holder.via, r.counted])).toEqual([
      ['iotlb', false],
      ['iotlb', true],
    ]);
    expect(iotlbInv.kind === 'state' && iotlbInv.check(derive(s))).toEqual([]);
    expect(flushIotlb(s)).toBe(1);
    expect(s.frames[6].owner.kind).toBe('free');
    expect(s.iotlb!.deferred).toEqual([]);
  });

  it('freeBeforeFlush frees at once, and iotlb-flushed-before-free sees the cached translation to a free frame', () => {
    const s = world();
    s.iotlb = emptyIotlb(true);
    performDma(s, { kind: 'shared-ept', dom: 1 }, 0, { kind: 'device', dom: 1, device: 'nic0' }, ctx());
    s.domains[1].p2m[0] = null;
    putRef(s, 6);
    expect(s.frames[6].owner.kind).toBe('free');
    const w = iotlbInv.kind === 'state' ? iotlbInv.check(derive(s)) : [];
    expect(w).toMatchObject([{ reason: 'cached-translation-to-freed-frame', mfn: 6, holder: { via: 'iotlb', ctx: 'dom1', bfn: 0 } }]);
  });
});

describe('a PVH backend whose IOMMU is its p2m (backendIommu=shared-ept)', () => {
  it('map-for-DMA answers a GFN of the backend above its balloon range, as a foreign entry the GPU and the CPU reach', () => {
    const s = world(xenMapForDma, { backendIommu: 'shared-ept' });
    const shadowSet = xenMapForDma.ops.find((o) => o.name === 'shadowSet')!;
    const r = applyOk(s, shadowSet, { client: 1, slot: 0, gfn: 0 }, { backendIommu: 'shared-ept' });
    expect(r.result).toEqual({ ok: true, value: s.domains[0].maxPages });
    expect(s.domains[0].p2m[s.domains[0].maxPages]).toMatchObject({ mfn: 6, type: 'foreign', foreign: { dom: 1, gfn: 0 } });
    expect(s.domains[0].iommu.every((e) => e === null)).toBe(true);
    const gpu = reach(s).filter((x) => x.principal.kind === 'gpu');
    expect(gpu.map((x) => x.mfn)).toEqual([6]);
  });

  it("a caller-chosen GFN is checked by Jan Beulich's rules: in range, unused, outside the balloon range", () => {
    const s = world(xenMapForDma, { backendIommu: 'shared-ept' });
    expect(dmaAddressRefusal(s, 0, 0)).toEqual({ ok: false, err: 'EEXIST' });
    expect(dmaAddressRefusal(s, 0, 5)).toEqual({ ok: false, err: 'EBUSY' });
    expect(dmaAddressRefusal(s, 0, 16)).toEqual({ ok: false, err: 'EINVAL' });
    expect(dmaAddressRefusal(s, 0, 12)).toBeUndefined();
    const k = { backendIommu: 'shared-ept' };
    expect(apply(s, shadowSetAt, { client: 1, slot: 0, gfn: 0, at: 0 }, k).result).toEqual({ ok: false, err: 'EEXIST' });
    expect(applyOk(s, shadowSetAt, { client: 1, slot: 0, gfn: 0, at: 12 }, k).result).toEqual({ ok: true, value: 12 });
  });

  it('without the collision check the map overwrites the backend RAM entry and orphans its page', () => {
    const s = world(xenMapForDma, { backendIommu: 'shared-ept', checkCollision: false });
    applyOk(s, shadowSetAt, { client: 1, slot: 0, gfn: 0, at: 0 }, { backendIommu: 'shared-ept', checkCollision: false });
    expect(s.domains[0].p2m[0]).toMatchObject({ mfn: 6, type: 'foreign' });
    expect(refs(s).some((r) => r.mfn === 2)).toBe(false);
    expect(s.frames[2].refcount).toBe(1);
  });
});
