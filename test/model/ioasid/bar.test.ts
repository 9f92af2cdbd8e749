/**
 * BAR-backed HVA pages: a VMM mmaps its device's MMIO BAR and DMA-maps it for another device (peer to
 * peer). The mapping holds no page reference and charges nothing; pinning refuses it; releasing the
 * BAR's device fd revokes every IOASID mapping of it before the device can change hands; and the
 * invariants tell a BAR of the process's own bound device from one that is not.
 */
import { describe, expect, it } from 'vitest';
import { cloneState } from '../../../src/model/core/clone.ts';
import { stateDifference } from '../../../src/model/core/equal.ts';
import type { ArgRecord } from '../../../src/model/core/op.ts';
import type { State } from '../../../src/model/core/state.ts';
import { reach } from '../../../src/model/reach.ts';
import { refs } from '../../../src/model/refs.ts';
import { P1, P2 } from '../../../src/model/ioasid/world.ts';
import { apply, failing, ok, world } from './fixture.ts';

function refused(s: State, name: string, args: ArgRecord, err: string): string[] {
  const before = cloneState(s);
  const { result, notes } = apply(s, name, args);
  expect(result).toEqual({ ok: false, err });
  expect(stateDifference(before, s)).toBeUndefined();
  return notes;
}

const barMfn = (s: State) => s.ioasid!.bars.find((b) => b.device === 'dev2')!.mfn;

/** P1 mmaps dev2's BAR at HVA 6 and maps it at IOVA 6 of the gpa IOASID dev1 is on. */
function p2p(): State {
  const s = world();
  expect(ok(s, 'mmapBar', { device: 'dev2', hva: 6 })).toEqual(['bar-mmapped']);
  expect(ok(s, 'dmaMap', { fd: 0, ioasid: 0, iova: 6, addr: 6, pages: 1 })).toEqual(['dma-map-bar-p2p']);
  return s;
}

describe('mmapBar', () => {
  it("maps the device's BAR page into its owner's HVA space as MMIO, with no reference", () => {
    const s = world();
    const m = barMfn(s);
    expect(s.frames[m]).toMatchObject({ kind: 'mmio', owner: { kind: 'io' }, refcount: 0 });
    ok(s, 'mmapBar', { device: 'dev2', hva: 6 });
    expect(s.domains[P1].p2m[6]).toMatchObject({ mfn: m, type: 'mmio_direct', counted: false });
    expect(failing(s)).toEqual([]);
  });

  it('refuses a device without a BAR, an unbound device, a bad or occupied HVA, and a second mmap', () => {
    const s = world();
    refused(s, 'mmapBar', { device: 'dev1', hva: 6 }, 'ENOENT');
    refused(s, 'mmapBar', { device: 'dev2', hva: 99 }, 'EINVAL');
    refused(s, 'mmapBar', { device: 'dev2', hva: 0 }, 'EBUSY');
    ok(s, 'mmapBar', { device: 'dev2', hva: 6 });
    refused(s, 'mmapBar', { device: 'dev2', hva: 7 }, 'EEXIST');
    const t = world();
    ok(t, 'ioasidClose', { fd: 0 });
    refused(t, 'mmapBar', { device: 'dev2', hva: 6 }, 'EPERM');
  });
});

describe('DMA_MAP of a BAR-backed HVA (peer-to-peer)', () => {
  it("reaches the BAR frame through the gpa IOASID, takes no reference and charges nothing; the invariants accept it", () => {
    const s = p2p();
    const m = barMfn(s);
    expect(s.frames[m].refcount).toBe(0);
    expect(s.ioasid!.fds[0]!.lockedPages).toBe(4);
    expect(reach(s).some((e) => e.principal.device === 'dev1' && e.mfn === m)).toBe(true);
    expect(refs(s).find((r) => r.mfn === m && r.holder.via === 'ioasidMap')).toMatchObject({ counted: false, holder: { via: 'ioasidMap', iova: 6 } });
    ok(s, 'programIoDma', { device: 'dev1', pasid: -1, iova: 6, write: true });
    expect(apply(s, 'ioDma', { device: 'dev1' }).result).toEqual({ ok: true, value: m });
    expect(failing(s)).toEqual([]);
  });

  it('pinning refuses it: registration and an mdev access (no struct page to pin)', () => {
    const s = p2p();
    refused(s, 'registerMemory', { fd: 0, hva: 6, pages: 1 }, 'EFAULT');
    ok(s, 'attachIoasid', { device: 'mdev1', fd: 0, ioasid: 0, vpasid: -1 });
    refused(s, 'accessPin', { device: 'mdev1', iova: 6 }, 'EFAULT');
  });

  it('an unmap drops the mapping without a put', () => {
    const s = p2p();
    ok(s, 'dmaUnmap', { fd: 0, ioasid: 0, iova: 6, pages: 1 });
    expect(s.frames[barMfn(s)].refcount).toBe(0);
    expect(failing(s)).toEqual([]);
  });

  it("releasing the BAR's device fd revokes its mappings in every fd, so the device can go to another process", () => {
    const s = p2p();
    // A second fd of P1 (dev3 attached) maps the BAR too: it outlives fd0.
    ok(s, 'ioasidOpen', { proc: P1 });
    ok(s, 'bindIoasidFd', { device: 'dev3', fd: 2 });
    ok(s, 'bindIoasidFd', { device: 'dev4', fd: 2 });
    ok(s, 'ioasidAlloc', { fd: 2 });
    ok(s, 'attachIoasid', { device: 'dev3', fd: 2, ioasid: 0, vpasid: -1 });
    ok(s, 'attachIoasid', { device: 'dev4', fd: 2, ioasid: 0, vpasid: -1 });
    ok(s, 'dmaMap', { fd: 2, ioasid: 0, iova: 0, addr: 6, pages: 1 });
    ok(s, 'programIoDma', { device: 'dev3', pasid: -1, iova: 0, write: true });
    const notes = ok(s, 'ioasidClose', { fd: 0 });
    expect(notes).toContain('bar-zapped-with-dma-mappings');
    expect(notes).toContain('unmap-with-dma-in-flight');
    expect(s.ioasid!.fds[2]!.ioasids[0]!.maps[0]).toBeNull();
    expect(s.domains[P1].p2m[6]).toBeNull();
    ok(s, 'assignDeviceToProcess', { device: 'dev2', proc: P2 });
    expect(reach(s).some((e) => e.mfn === barMfn(s))).toBe(false);
    expect(failing(s)).toEqual([]);
  });

  it('the invariants catch a BAR mapping that outlived its device going to another process', () => {
    const s = p2p();
    // What a kernel that never revokes (VFIO type1's follow_pfn, ⟨outside⟩) leaves: the device is P2's now.
    const dev2 = s.ioasid!.devices.find((d) => d.name === 'dev2')!;
    dev2.boundFd = -1;
    dev2.owner = P2;
    expect(failing(s)).toEqual(['no-foreign-reach', 'dma-only-own-memory']);
  });
});
