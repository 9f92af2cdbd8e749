/**
 * The grant rows of docs/conformance.md that the grant-table work (issue 11 item 2) brought to Xen's
 * behaviour, each pinned by a test tagged with its row: device maps refused to a paging-external
 * grantee, host grant maps DMA-reachable through a p2m-sharing IOMMU, the bounded maptrack, pin
 * overflow, the frame fixed at first pin, writable-type references, and partial unmaps.
 */
import { describe, expect, it } from 'vitest';
import { domainContext, walkContext } from '../../src/model/core/device/context.ts';
import { xenGrantBackend } from '../../src/model/core/designs/xenGrantBackend.ts';
import { GNTPIN_OFLOW_BIT } from '../../src/model/core/grantActive.ts';
import { MAPTRACK_LIMIT } from '../../src/model/core/maptrack.ts';
import { grantAccess, mapGrant, unmapGrant } from '../../src/model/core/ops/grants.ts';
import { decreaseReservation } from '../../src/model/core/ops/memory.ts';
import { applyOk, expectRefused, p2m, world } from '../helpers/world.ts';

/** dom1 grants its gfn 2 to dom0 read-write under ref 0 (map-for-DMA's world: dom0 a PVH with its own IOMMU tables). */
function granted(readonly = false) {
  const s = world();
  applyOk(s, grantAccess, { granter: 1, ref: 0, grantee: 0, gfn: 2, readonly });
  return s;
}

const MAP = { grantee: 0, granter: 1, ref: 0, readonly: false, hostGfn: 8, deviceBfn: 3 };

describe('grant rows', () => {
  it('[GNT-05] a device map by an HVM grantee, or a PVH one whose IOMMU is its p2m, answers GNTST_general_error', () => {
    const hvm = world();
    applyOk(hvm, grantAccess, { granter: 1, ref: 0, grantee: 2, gfn: 2, readonly: false });
    expectRefused(hvm, mapGrant, { ...MAP, grantee: 2, hostGfn: -1 }, 'GNTST_general_error');
    const pvh = world(xenGrantBackend);
    expect(pvh.domains[0]).toMatchObject({ kind: 'pvh', iommuPt: 'shared-ept' });
    applyOk(pvh, grantAccess, { granter: 2, ref: 0, grantee: 0, gfn: 1, readonly: false });
    expectRefused(pvh, mapGrant, { ...MAP, granter: 2, hostGfn: -1 }, 'GNTST_general_error');
    // A domain with IOMMU tables of its own (the model's PV-style backend) keeps its device halves.
    expect(applyOk(granted(), mapGrant, { ...MAP, hostGfn: -1 }).result.ok).toBe(true);
  });

  it("[GNT-06] a host grant map of a PVH grantee whose IOMMU is its p2m is DMA-reachable: rw for grant_map_rw, read-only for _ro", () => {
    const s = world(xenGrantBackend);
    applyOk(s, grantAccess, { granter: 2, ref: 0, grantee: 0, gfn: 1, readonly: false });
    applyOk(s, grantAccess, { granter: 3, ref: 0, grantee: 0, gfn: 1, readonly: true });
    applyOk(s, mapGrant, { grantee: 0, granter: 2, ref: 0, readonly: false, hostGfn: 8, deviceBfn: -1 });
    applyOk(s, mapGrant, { grantee: 0, granter: 3, ref: 0, readonly: true, hostGfn: 9, deviceBfn: -1 });
    const c = domainContext(s, 0);
    expect(c.kind).toBe('shared-ept');
    expect(walkContext(s, c, 8)).toEqual({ mfn: p2m(s, 2, 1).mfn, gen: 1, write: true });
    expect(walkContext(s, c, 9)).toEqual({ mfn: p2m(s, 3, 1).mfn, gen: 1, write: false });
  });

  it('[GNT-08] a grantee whose maptrack is full gets GNTST_no_space, and nothing changes', () => {
    const s = granted();
    // Device halves need no GFN: MAPTRACK_LIMIT of them fill the handles (the pin counter has room for 128).
    for (let bfn = 0; bfn < MAPTRACK_LIMIT; bfn++) applyOk(s, mapGrant, { ...MAP, hostGfn: -1, deviceBfn: bfn });
    expect(s.domains[0].maptrack.length).toBe(MAPTRACK_LIMIT);
    const { notes } = expectRefused(s, mapGrant, { ...MAP, deviceBfn: -1 }, 'GNTST_no_space');
    expect(notes).toEqual(['grant-maptrack-full']);
    applyOk(s, unmapGrant, { grantee: 0, handle: 5, host: false, device: true });
    expect(applyOk(s, mapGrant, { ...MAP, deviceBfn: -1 }).result).toEqual({ ok: true, value: 5 });
  });

  it('[GNT-12] a map whose pin counter has its top bit set answers GNTST_general_error; the other counters still take maps', () => {
    const s = granted();
    applyOk(s, mapGrant, { ...MAP, deviceBfn: -1 });
    const g = s.domains[1].grants[0]!;
    g.pin.hostRw = GNTPIN_OFLOW_BIT;
    const { notes } = expectRefused(s, mapGrant, { ...MAP, hostGfn: 9, deviceBfn: -1 }, 'GNTST_general_error');
    expect(notes).toEqual(['grant-pin-overflow-refused']);
    g.pin.hostRw = GNTPIN_OFLOW_BIT - 1;
    applyOk(s, mapGrant, { ...MAP, hostGfn: 9, deviceBfn: -1 });
    expect(g.pin.hostRw).toBe(GNTPIN_OFLOW_BIT);
    applyOk(s, mapGrant, { ...MAP, hostGfn: -1, deviceBfn: 4 });
    expect(g.pin).toEqual({ hostRw: GNTPIN_OFLOW_BIT, hostRo: 0, devRw: 1, devRo: 0 });
  });

  it("[GNT-14] a further map of a pinned grant maps act->mfn, fixed at first pin, after the granter ballooned the GFN out", () => {
    const s = granted();
    const mfn = p2m(s, 1, 2).mfn;
    applyOk(s, mapGrant, { ...MAP, deviceBfn: -1 });
    applyOk(s, decreaseReservation, { dom: 1, gfn: 2 });
    const { notes } = applyOk(s, mapGrant, { ...MAP, hostGfn: 9, deviceBfn: -1 });
    expect(notes).toContain('grant-mapped-pinned-frame-not-in-p2m');
    expect(p2m(s, 0, 9).mfn).toBe(mfn);
    expect(s.domains[1].grants[0]!.mfn).toBe(mfn);
    // Once unpinned, the next first pin reads the p2m again: the GFN is empty now.
    applyOk(s, unmapGrant, { grantee: 0, handle: 0, host: true, device: true });
    applyOk(s, unmapGrant, { grantee: 0, handle: 1, host: true, device: true });
    expect(s.domains[1].grants[0]!.mfn).toBe(-1);
    expectRefused(s, mapGrant, MAP, 'GNTST_bad_page');
  });

  it('[GNT-16] a writable device map takes a PGT_writable_page reference besides its general one; read-only and HVM-granter host halves take none', () => {
    const s = granted();
    const mfn = p2m(s, 1, 2).mfn;
    applyOk(s, mapGrant, MAP);
    expect(s.frames[mfn]).toMatchObject({ refcount: 3, typeCount: 1 });
    applyOk(s, mapGrant, { ...MAP, readonly: true, hostGfn: 9, deviceBfn: 4 });
    expect(s.frames[mfn]).toMatchObject({ refcount: 5, typeCount: 1 });
    applyOk(s, unmapGrant, { grantee: 0, handle: 0, host: false, device: true });
    expect(s.frames[mfn].typeCount).toBeUndefined();
    expect(s.frames[mfn].refcount).toBe(4);
  });

  it('[GNT-20] unmapping only the host half, then only the device half: pins and references drop per half, the handle goes with the last', () => {
    const s = granted();
    const mfn = p2m(s, 1, 2).mfn;
    applyOk(s, mapGrant, MAP);
    const host = applyOk(s, unmapGrant, { grantee: 0, handle: 0, host: true, device: false });
    expect(host.notes).toEqual(['grant-partial-unmap-host-only']);
    expect(s.domains[0].p2m[8]).toBeNull();
    expect(s.domains[0].maptrack[0]).toEqual({ granter: 1, ref: 0, readonly: false, hostGfn: -1, deviceBfn: 3 });
    expect(s.domains[1].grants[0]).toMatchObject({ maps: 1, pin: { hostRw: 0, hostRo: 0, devRw: 1, devRo: 0 }, mfn });
    expect(s.frames[mfn]).toMatchObject({ refcount: 2, typeCount: 1 });
    // Asking for a half the mapping no longer has does nothing (Xen's op->done == 0).
    applyOk(s, unmapGrant, { grantee: 0, handle: 0, host: true, device: false });
    expect(s.domains[0].maptrack[0]).not.toBeNull();
    const device = applyOk(s, unmapGrant, { grantee: 0, handle: 0, host: false, device: true });
    expect(device.notes).toEqual(['grant-unmap-last-half']);
    expect(s.domains[0].maptrack).toEqual([null]);
    expect(s.domains[1].grants[0]).toMatchObject({ maps: 0, pin: { hostRw: 0, hostRo: 0, devRw: 0, devRo: 0 }, mfn: -1 });
    expect(s.frames[mfn].refcount).toBe(1);
    expect(s.frames[mfn].typeCount).toBeUndefined();
    // And the other way round: device half first.
    applyOk(s, mapGrant, MAP);
    expect(applyOk(s, unmapGrant, { grantee: 0, handle: 0, host: false, device: true }).notes).toEqual(['grant-partial-unmap-device-only']);
    expect(s.domains[1].grants[0]!.pin).toEqual({ hostRw: 1, hostRo: 0, devRw: 0, devRo: 0 });
  });
});
