/**
 * KVM memslot changes under live DMA mappings: with the VMM's memory listener (memslotListener=sync)
 * a moved or deleted memslot takes the gpa IOASIDs' guest-RAM mappings with it — revoking what depends
 * on the GPA before unpinning, and mapping the new HVA again — and the guest's CPU writes go where the
 * memslot now says; without it (none) the device keeps the old HVA's frame.
 */
import { describe, expect, it } from 'vitest';
import { cloneState } from '../../../src/model/core/clone.ts';
import { stateDifference } from '../../../src/model/core/equal.ts';
import type { ArgRecord, KnobValues } from '../../../src/model/core/op.ts';
import type { State } from '../../../src/model/core/state.ts';
import { P1, P2 } from '../../../src/model/ioasid/world.ts';
import { apply, failing, ok, world } from './fixture.ts';

function refused(s: State, name: string, args: ArgRecord, err: string, over: KnobValues = {}): void {
  const before = cloneState(s);
  expect(apply(s, name, args, over).result).toEqual({ ok: false, err });
  expect(stateDifference(before, s)).toBeUndefined();
}

const mfnAt = (s: State, hva: number) => s.domains[P1].p2m[hva]!.mfn;
const gpaRoot = (s: State) => s.ioasid!.fds[0]!.ioasids[0]!;

describe('kvmSetMemslot', () => {
  it('a move onto a backed HVA remaps the GPA from it (counted), re-merges the child, and keeps the charge exact', () => {
    const s = world();
    ok(s, 'populatePhysmap', { dom: P1, gfn: 5, mfn: 30 });
    ok(s, 'dmaMap', { fd: 0, ioasid: 1, iova: 0, addr: 1, pages: 1 });
    const old = mfnAt(s, 1);
    const notes = ok(s, 'kvmSetMemslot', { proc: P1, gpa: 1, hva: 5 });
    expect(notes).toEqual(['memslot-moved-under-dma-mapping', 'parent-unmap-with-nested-child-live', 'memslot-listener-remapped']);
    expect(gpaRoot(s).maps[1]).toEqual({ via: 'hva', hva: 5, mfn: 30, gen: s.frames[30].gen, guestRam: true });
    expect(s.ioasid!.fds[0]!.ioasids[1]!.shadow[0]).toMatchObject({ gpa: 1, mfn: 30 });
    expect(s.frames[old].refcount).toBe(1);
    expect(s.ioasid!.fds[0]!.lockedPages).toBe(4);
    expect(failing(s)).toEqual([]);
  });

  it('a move onto an unbacked HVA or a delete leaves the GPA unmapped (DMA to it faults); DMA in flight is waited for first', () => {
    const s = world();
    ok(s, 'programIoDma', { device: 'dev1', pasid: -1, iova: 2, write: true });
    expect(ok(s, 'kvmSetMemslot', { proc: P1, gpa: 2, hva: -1 })).toEqual(['memslot-deleted-under-dma-mapping', 'unmap-with-dma-in-flight']);
    expect(gpaRoot(s).maps[2]).toBeNull();
    expect(s.ioasid!.devices[0].inflight).toEqual([]);
    ok(s, 'kvmSetMemslot', { proc: P1, gpa: 3, hva: 6 });
    expect(gpaRoot(s).maps[3]).toBeNull();
    expect(s.ioasid!.fds[0]!.lockedPages).toBe(2);
    expect(failing(s)).toEqual([]);
  });

  it("the guest's CPU writes its table where the memslot now puts the GPA", () => {
    const s = world();
    ok(s, 'populatePhysmap', { dom: P1, gfn: 5, mfn: 30 });
    ok(s, 'kvmSetMemslot', { proc: P1, gpa: 3, hva: 5 });
    ok(s, 'guestWriteIoPte', { proc: P1, gpa: 3, index: 0, value: 1 });
    expect(s.ioasid!.pages[30]?.entries[0]).toBe(1);
    ok(s, 'kvmSetMemslot', { proc: P1, gpa: 3, hva: -1 });
    refused(s, 'guestWriteIoPte', { proc: P1, gpa: 3, index: 0, value: 1 }, 'EFAULT');
  });

  it('refuses a GPA outside guest RAM, an HVA outside the process, no change, and the toolstack', () => {
    const s = world();
    refused(s, 'kvmSetMemslot', { proc: P1, gpa: 8, hva: 1 }, 'EINVAL');
    refused(s, 'kvmSetMemslot', { proc: P1, gpa: 1, hva: 99 }, 'EINVAL');
    refused(s, 'kvmSetMemslot', { proc: P1, gpa: 1, hva: 1 }, 'EEXIST');
    refused(s, 'kvmSetMemslot', { proc: 0, gpa: 1, hva: 2 }, 'ESRCH');
  });

  it('a remap past RLIMIT_MEMLOCK fails and leaves the GPA unmapped, within the limit (counted)', () => {
    const s = world();
    ok(s, 'setMemlock', { proc: P2, pages: 4 });
    ok(s, 'populatePhysmap', { dom: P2, gfn: 5, mfn: 31 });
    // HVA 0 is also mapped at IOVA 4, so moving GPA 0 away unpins nothing, and the new page would be a fifth.
    ok(s, 'dmaMap', { fd: 1, ioasid: 0, iova: 4, addr: 0, pages: 1 });
    const notes = ok(s, 'kvmSetMemslot', { proc: P2, gpa: 0, hva: 5 });
    expect(notes).toContain('memlock-limit-refused');
    expect(notes).not.toContain('memslot-listener-remapped');
    expect(s.ioasid!.fds[1]!.ioasids[0]!.maps[0]).toBeNull();
    expect(s.ioasid!.fds[1]!.lockedPages).toBe(4);
    expect(s.frames[31].refcount).toBe(1);
    expect(failing(s)).toEqual([]);
  });

  it('memslotListener=none changes only the memslot: the device keeps the old frame (iommu-follows-memslots)', () => {
    const none = { memslotListener: 'none' };
    const s = world(none);
    const old = mfnAt(s, 1);
    ok(s, 'kvmSetMemslot', { proc: P1, gpa: 1, hva: 5 }, none);
    expect(gpaRoot(s).maps[1]).toMatchObject({ hva: 1, mfn: old });
    expect(failing(s)).toEqual(['iommu-follows-memslots']);
  });
});
