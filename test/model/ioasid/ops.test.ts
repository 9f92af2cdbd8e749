/**
 * Each IOASID op: what it does when it succeeds, and each refusal — which must change nothing (the
 * generic refused-op-changes-nothing holds every op to that; here each is checked on its own state).
 */
import { describe, expect, it } from 'vitest';
import { cloneState } from '../../../src/model/core/clone.ts';
import { stateDifference } from '../../../src/model/core/equal.ts';
import type { ArgRecord, KnobValues } from '../../../src/model/core/op.ts';
import type { State } from '../../../src/model/core/state.ts';
import { P1, P2 } from '../../../src/model/ioasid/world.ts';
import { apply, failing, ok, world } from './fixture.ts';

/** A refusal: the errno, the notes, and that nothing changed. */
function refused(s: State, name: string, args: ArgRecord, err: string, over: KnobValues = {}): string[] {
  const before = cloneState(s);
  const { result, notes } = apply(s, name, args, over);
  expect(result).toEqual({ ok: false, err });
  expect(stateDifference(before, s)).toBeUndefined();
  return notes;
}

const mfnOf = (s: State, hva: number) => s.domains[P1].p2m[hva]!.mfn;

describe('ioasidOpen / ioasidClose', () => {
  it('opens an fd for a VMM process, refuses the toolstack dom0', () => {
    const s = world();
    expect(apply(s, 'ioasidOpen', { proc: P2 }).result).toEqual({ ok: true, value: 2 });
    expect(s.ioasid!.fds[2]).toMatchObject({ owner: P2, lockedPages: 0 });
    refused(s, 'ioasidOpen', { proc: 0 }, 'ESRCH');
  });

  it('close detaches and unbinds its devices, unpins and uncharges, and counts closing with mappings', () => {
    const s = world();
    const m = mfnOf(s, 0);
    expect(ok(s, 'ioasidClose', { fd: 0 })).toContain('fd-closed-with-mappings');
    expect(s.ioasid!.fds[0]).toBeNull();
    expect(s.ioasid!.devices.filter((d) => d.owner === P1).every((d) => d.boundFd === -1 && d.rid === null)).toBe(true);
    expect(s.frames[m].refcount).toBe(1);
    expect(s.ioasid!.fds[1]!.lockedPages).toBe(4);
    expect(failing(s)).toEqual([]);
    refused(s, 'ioasidClose', { fd: 0 }, 'ENOENT');
  });
});

describe('assignDeviceToProcess / bindIoasidFd', () => {
  it('gives an unbound device to a process; refuses a bound one', () => {
    const s = world();
    ok(s, 'assignDeviceToProcess', { device: 'dev4', proc: P2 });
    expect(s.ioasid!.devices.find((d) => d.name === 'dev4')!.owner).toBe(P2);
    refused(s, 'assignDeviceToProcess', { device: 'dev1', proc: P2 }, 'EBUSY');
  });

  it('binds a device its fd owner owns and answers a label; EPERM for another owner, EBUSY when bound', () => {
    const s = world();
    expect(apply(s, 'bindIoasidFd', { device: 'dev3', fd: 0 }).result).toEqual({ ok: true, value: 104 });
    expect(refused(s, 'bindIoasidFd', { device: 'dev4', fd: 1 }, 'EPERM')).toEqual(['bind-unowned-device-refused']);
    refused(s, 'bindIoasidFd', { device: 'dev1', fd: 0 }, 'EBUSY');
  });
});

describe('ioasidAlloc / createNesting / ioasidFree', () => {
  it('allocates roots and children nested on a gpa root only', () => {
    const s = world();
    expect(apply(s, 'createNesting', { fd: 0, parent: 0, kind: 'gva' }).result).toEqual({ ok: true, value: 3 });
    refused(s, 'createNesting', { fd: 0, parent: 1, kind: 'gva' }, 'EINVAL');
    refused(s, 'createNesting', { fd: 0, parent: 5, kind: 'gva' }, 'ENOENT');
    ok(s, 'ioasidAlloc', { fd: 0 });
    ok(s, 'ioasidAlloc', { fd: 0 });
    refused(s, 'ioasidAlloc', { fd: 0 }, 'ENOSPC');
  });

  it('refuses to free an IOASID while attached or nested on; frees and unpins otherwise', () => {
    const s = world();
    refused(s, 'ioasidFree', { fd: 0, ioasid: 0 }, 'EBUSY');
    refused(s, 'ioasidFree', { fd: 0, ioasid: 1 }, 'EBUSY');
    ok(s, 'detachIoasid', { device: 'dev1', vpasid: 0 });
    ok(s, 'ioasidFree', { fd: 0, ioasid: 2 });
    ok(s, 'ioasidAlloc', { fd: 0 });
    ok(s, 'createNesting', { fd: 0, parent: 2, kind: 'giova' });
    refused(s, 'ioasidFree', { fd: 0, ioasid: 2 }, 'EBUSY');
    ok(s, 'ioasidFree', { fd: 0, ioasid: 3 });
    ok(s, 'dmaMap', { fd: 0, ioasid: 2, iova: 0, addr: 0, pages: 1 }, { mapBeforeAttach: true });
    expect(s.frames[mfnOf(s, 0)].refcount).toBe(3);
    ok(s, 'ioasidFree', { fd: 0, ioasid: 2 });
    expect(s.ioasid!.fds[0]!.ioasids[2]).toBeNull();
    expect(s.frames[mfnOf(s, 0)].refcount).toBe(2);
    expect(failing(s)).toEqual([]);
  });
});

describe('attachIoasid / detachIoasid', () => {
  it('refuses an IOASID of another fd than the bound one (counted), and a second attach elsewhere', () => {
    const s = world();
    expect(refused(s, 'attachIoasid', { device: 'mdev1', fd: 1, ioasid: 0, vpasid: -1 }, 'EPERM')).toEqual(['attach-to-other-fd-refused']);
    ok(s, 'ioasidAlloc', { fd: 0 });
    refused(s, 'attachIoasid', { device: 'dev1', fd: 0, ioasid: 3, vpasid: -1 }, 'EBUSY');
  });

  it('attaches onto a child of the current IOASID (§5.3: still attached to the parent)', () => {
    const s = world();
    ok(s, 'attachIoasid', { device: 'dev1', fd: 0, ioasid: 1, vpasid: -1 });
    expect(s.ioasid!.devices.find((d) => d.name === 'dev1')!.rid).toEqual({ fd: 0, ioasid: 1 });
    ok(s, 'ioasidAlloc', { fd: 0 });
    refused(s, 'attachIoasid', { device: 'dev2', fd: 0, ioasid: 3, vpasid: -1 }, 'EBUSY');
  });

  it('attaches vPASIDs to a gva IOASID, counts two vPASIDs on one IOASID and host PASID reuse', () => {
    const s = world();
    expect(s.ioasid!.devices[0].pasids).toEqual([{ vpasid: 0, fd: 0, ioasid: 2, host: 0 }]);
    refused(s, 'attachIoasid', { device: 'dev2', fd: 0, ioasid: 2, vpasid: 0 }, 'EOPNOTSUPP');
    refused(s, 'attachIoasid', { device: 'dev1', fd: 0, ioasid: 1, vpasid: 1 }, 'EINVAL');
    expect(ok(s, 'attachIoasid', { device: 'dev1', fd: 0, ioasid: 2, vpasid: 1 })).toContain('same-ioasid-two-vpasids');
    refused(s, 'attachIoasid', { device: 'dev1', fd: 0, ioasid: 2, vpasid: 1 }, 'EEXIST');
    ok(s, 'detachIoasid', { device: 'dev1', vpasid: 0 });
    expect(ok(s, 'attachIoasid', { device: 'dev1', fd: 0, ioasid: 2, vpasid: 2 })).toContain('pasid-reused');
    refused(s, 'detachIoasid', { device: 'dev2', vpasid: 3 }, 'ENOENT');
  });

  it('under reject-partial a group split between processes cannot attach; a whole group gets its context', () => {
    const s = world();
    ok(s, 'bindIoasidFd', { device: 'dev3', fd: 0 });
    expect(ok(s, 'attachIoasid', { device: 'dev3', fd: 0, ioasid: 0, vpasid: -1 })).toEqual(['partial-group-attach']);
    expect(s.ioasid!.groups[0].ctx).toBeNull();
    ok(s, 'programIoDma', { device: 'dev3', pasid: -1, iova: 0, write: true });
    const { result, notes } = apply(s, 'ioDma', { device: 'dev3' });
    expect(result).toEqual({ ok: false, err: 'EFAULT' });
    expect(notes).toEqual(['partial-group-dma-refused']);
    ok(s, 'bindIoasidFd', { device: 'dev4', fd: 0 });
    ok(s, 'attachIoasid', { device: 'dev4', fd: 0, ioasid: 0, vpasid: -1 });
    expect(s.ioasid!.groups[0].ctx).toEqual({ fd: 0, ioasid: 0 });
    const t = world();
    ok(t, 'assignDeviceToProcess', { device: 'dev4', proc: P2 });
    ok(t, 'bindIoasidFd', { device: 'dev3', fd: 0 });
    expect(refused(t, 'attachIoasid', { device: 'dev3', fd: 0, ioasid: 0, vpasid: -1 }, 'EPERM')).toEqual(['partial-group-dma-refused']);
  });
});

describe('registerMemory / dmaMap / dmaUnmap and locked-page accounting', () => {
  it('charges a page once however many mappings pin it (prereg), counting the double map', () => {
    const s = world();
    ok(s, 'ioasidAlloc', { fd: 0 });
    const notes = ok(s, 'dmaMap', { fd: 0, ioasid: 3, iova: 0, addr: 0, pages: 2 }, { mapBeforeAttach: true });
    expect(notes).toContain('double-mapped-hva');
    expect(notes).toContain('dma-map-outside-registered-range');
    expect(s.ioasid!.fds[0]!.lockedPages).toBe(4);
    expect(s.frames[mfnOf(s, 0)].refcount).toBe(3);
    expect(failing(s)).toEqual([]);
  });

  it('per-map charges the second mapping again: locked-accounting-exact breaks', () => {
    const s = world({ accounting: 'per-map' });
    ok(s, 'ioasidAlloc', { fd: 0 }, { accounting: 'per-map' });
    ok(s, 'attachIoasid', { device: 'mdev1', fd: 0, ioasid: 3, vpasid: -1 });
    ok(s, 'dmaMap', { fd: 0, ioasid: 3, iova: 0, addr: 0, pages: 1 }, { accounting: 'per-map' });
    expect(s.ioasid!.fds[0]!.lockedPages).toBe(5);
    expect(failing(s)).toEqual(['locked-accounting-exact']);
  });

  it('refuses bad ranges, unmapped HVAs, occupied IOVAs and maps past RLIMIT_MEMLOCK (counted)', () => {
    const s = world();
    refused(s, 'dmaMap', { fd: 0, ioasid: 0, iova: 7, addr: 0, pages: 2 }, 'EINVAL');
    refused(s, 'dmaMap', { fd: 0, ioasid: 0, iova: 4, addr: 9, pages: 1 }, 'EFAULT');
    refused(s, 'dmaMap', { fd: 0, ioasid: 0, iova: 0, addr: 0, pages: 1 }, 'EEXIST');
    ok(s, 'setMemlock', { proc: P1, pages: 4 });
    for (const g of [4, 5]) ok(s, 'populatePhysmap', { dom: P1, gfn: g, mfn: 30 + g });
    expect(refused(s, 'dmaMap', { fd: 0, ioasid: 0, iova: 4, addr: 4, pages: 1 }, 'ENOMEM')).toEqual(['memlock-limit-refused']);
    refused(s, 'setMemlock', { proc: P1, pages: 3 }, 'EINVAL');
  });

  it('registration pins and charges up front; a map inside it is counted and charges nothing more; unregister waits for it', () => {
    const s = world();
    ok(s, 'populatePhysmap', { dom: P1, gfn: 4, mfn: 30 });
    ok(s, 'registerMemory', { fd: 0, hva: 4, pages: 1 });
    expect(s.ioasid!.fds[0]!.lockedPages).toBe(5);
    refused(s, 'registerMemory', { fd: 0, hva: 3, pages: 2 }, 'EEXIST');
    expect(ok(s, 'dmaMap', { fd: 0, ioasid: 0, iova: 4, addr: 4, pages: 1 })).toContain('dma-map-in-registered-range');
    expect(s.ioasid!.fds[0]!.lockedPages).toBe(5);
    refused(s, 'unregisterMemory', { fd: 0, slot: 0 }, 'EBUSY');
    ok(s, 'dmaUnmap', { fd: 0, ioasid: 0, iova: 4, pages: 1 });
    ok(s, 'unregisterMemory', { fd: 0, slot: 0 });
    expect(s.ioasid!.fds[0]!.lockedPages).toBe(4);
    expect(failing(s)).toEqual([]);
  });

  it('a software-nested child maps GPAs through the parent: shadow, no pin, no charge; ENOENT for a GPA the parent lacks', () => {
    const s = world();
    ok(s, 'dmaMap', { fd: 0, ioasid: 1, iova: 2, addr: 1, pages: 1 });
    const child = s.ioasid!.fds[0]!.ioasids[1]!;
    expect(child.shadow[2]).toEqual({ gpa: 1, mfn: mfnOf(s, 1), gen: 1 });
    expect(s.ioasid!.fds[0]!.lockedPages).toBe(4);
    expect(refused(s, 'dmaMap', { fd: 0, ioasid: 1, iova: 3, addr: 6, pages: 1 }, 'ENOENT')).toEqual(['child-map-through-missing-gpa-refused']);
    refused(s, 'dmaMap', { fd: 0, ioasid: 1, iova: 4, addr: 0, pages: 1 }, 'EOPNOTSUPP', { nesting: 'hardware' });
  });

  it("a parent unmap revokes the child's shadow, mdev pins and DMA in flight before unpinning", () => {
    const s = world();
    ok(s, 'dmaMap', { fd: 0, ioasid: 1, iova: 2, addr: 1, pages: 1 });
    ok(s, 'attachIoasid', { device: 'mdev1', fd: 0, ioasid: 0, vpasid: -1 });
    ok(s, 'accessPin', { device: 'mdev1', iova: 1 });
    ok(s, 'programIoDma', { device: 'dev1', pasid: -1, iova: 1, write: true });
    const notes = ok(s, 'dmaUnmap', { fd: 0, ioasid: 0, iova: 1, pages: 1 });
    expect(notes).toEqual(['parent-unmap-with-nested-child-live', 'unmap-with-dma-in-flight', 'unmap-with-access-pins', 'access-unmap-callback-run']);
    expect(s.ioasid!.fds[0]!.ioasids[1]!.shadow[2]).toBeNull();
    expect(s.ioasid!.devices.find((d) => d.name === 'mdev1')!.pins).toEqual([]);
    expect(s.ioasid!.devices.find((d) => d.name === 'dev1')!.inflight).toEqual([]);
    expect(s.frames[mfnOf(s, 1)].refcount).toBe(1);
    expect(failing(s)).toEqual([]);
    refused(s, 'dmaUnmap', { fd: 0, ioasid: 0, iova: 1, pages: 1 }, 'ENOENT');
  });

  it('a parent remap re-merges the child (shadowUpdate=sync)', () => {
    const s = world();
    ok(s, 'dmaMap', { fd: 0, ioasid: 1, iova: 2, addr: 1, pages: 1 });
    ok(s, 'dmaUnmap', { fd: 0, ioasid: 0, iova: 1, pages: 1 });
    expect(ok(s, 'dmaMap', { fd: 0, ioasid: 0, iova: 1, addr: 3, pages: 1 })).toContain('parent-remap-under-child');
    expect(s.ioasid!.fds[0]!.ioasids[1]!.shadow[2]).toEqual({ gpa: 1, mfn: mfnOf(s, 3), gen: 1 });
    expect(failing(s)).toEqual([]);
  });
});

describe('hardware nesting, guest tables, PASID table', () => {
  it('walks the bound stage 1 through the parent; a stage-1 entry naming an unmapped GPA faults (counted)', () => {
    const hw = { nesting: 'hardware' };
    const s = world(hw);
    refused(s, 'bindPgtable', { fd: 0, ioasid: 0, gpa: 3 }, 'EINVAL', hw);
    refused(s, 'bindPgtable', { fd: 0, ioasid: 1, gpa: 3 }, 'EOPNOTSUPP');
    ok(s, 'bindPgtable', { fd: 0, ioasid: 1, gpa: 3 }, hw);
    expect(ok(s, 'guestWriteIoPte', { proc: P1, gpa: 3, index: 5, value: 2 }, hw)).toEqual(['guest-wrote-bound-table']);
    ok(s, 'programIoDma', { device: 'dev2', pasid: -1, iova: 5, write: false }, hw);
    expect(apply(s, 'ioDma', { device: 'dev2' }, hw).result).toEqual({ ok: true, value: mfnOf(s, 2) });
    ok(s, 'guestWriteIoPte', { proc: P1, gpa: 3, index: 6, value: 7 }, hw);
    ok(s, 'programIoDma', { device: 'dev2', pasid: -1, iova: 6, write: false }, hw);
    const { result, notes } = apply(s, 'ioDma', { device: 'dev2' }, hw);
    expect(result).toEqual({ ok: false, err: 'EFAULT' });
    expect(notes).toEqual(['stage1-names-unmapped-gpa-faulted']);
    expect(failing(s)).toEqual([]);
  });

  it('binds a PASID table only to a pasidtbl IOASID; with pasidTableAddr=hpa it reads a host frame', () => {
    const ub = { pasidTable: 'user-bound' };
    const hpa = { ...ub, pasidTableAddr: 'hpa' };
    const s = world(hpa);
    refused(s, 'createNesting', { fd: 0, parent: 0, kind: 'pasidtbl' }, 'EOPNOTSUPP');
    ok(s, 'createNesting', { fd: 0, parent: 0, kind: 'pasidtbl' }, ub);
    refused(s, 'bindPasidTable', { fd: 0, ioasid: 0, gpa: 3 }, 'EINVAL', ub);
    ok(s, 'attachIoasid', { device: 'dev1', fd: 0, ioasid: 3, vpasid: -1 });
    refused(s, 'bindPasidTable', { fd: 0, ioasid: 3, gpa: 3 }, 'EOPNOTSUPP');
    const t = cloneState(s);
    ok(t, 'bindPasidTable', { fd: 0, ioasid: 3, gpa: 3 }, ub);
    expect(failing(t)).toEqual([]);
    ok(s, 'bindPasidTable', { fd: 0, ioasid: 3, gpa: 3 }, hpa);
    expect(failing(s)).toEqual(['no-foreign-reach', 'dma-only-own-memory', 'pasid-confined-to-fd']);
  });
});

describe('KVM_MAP_PASID and ENQCMD', () => {
  it("maps a guest PASID to the VM process's own IOASID; refuses another's fd (counted); ENQCMD faults on an unmapped PASID", () => {
    const s = world();
    const fault = apply(s, 'enqcmd', { proc: P1, device: 'mdev1', guestPasid: 0, iova: 0 });
    expect(fault).toEqual({ result: { ok: false, err: 'EFAULT' }, notes: ['enqcmd-unmapped-pasid-faulted'] });
    ok(s, 'kvmMapPasid', { proc: P1, fd: 0, ioasid: 0, guestPasid: 0 });
    expect(apply(s, 'enqcmd', { proc: P1, device: 'mdev1', guestPasid: 0, iova: 0 }).result).toEqual({ ok: true, value: mfnOf(s, 0) });
    expect(refused(s, 'kvmMapPasid', { proc: P1, fd: 1, ioasid: 0, guestPasid: 1 }, 'EPERM')).toEqual(['kvm-map-pasid-refused']);
    refused(s, 'kvmMapPasid', { proc: P1, fd: 0, ioasid: 0, guestPasid: 0 }, 'EEXIST');
  });
});

describe('I/O page faults', () => {
  it('queues a page request on the bound fd, labelled; a response completes that fault only', () => {
    const s = world();
    refused(s, 'devicePageRequest', { device: 'dev1', pasid: -1, iova: 0 }, 'EEXIST');
    refused(s, 'devicePageRequest', { device: 'dev2', pasid: -1, iova: 5 }, 'EOPNOTSUPP');
    expect(ok(s, 'devicePageRequest', { device: 'dev1', pasid: -1, iova: 5 })).toEqual(['page-request-queued']);
    ok(s, 'devicePageRequest', { device: 'dev1', pasid: -1, iova: 6 });
    expect(s.ioasid!.pendingFaults.map((p) => [p.fd, p.ioasid, p.label, p.iova])).toEqual([[0, 0, 100, 5], [0, 0, 100, 6]]);
    ok(s, 'faultRespond', { fd: 0, key: 100, iova: 5, code: 'success' });
    expect(s.ioasid!.pendingFaults.map((p) => p.iova)).toEqual([6]);
    refused(s, 'faultRespond', { fd: 0, key: 100, iova: 5, code: 'success' }, 'ENOENT');
    refused(s, 'faultRespond', { fd: 0, key: 100, iova: 6, code: 'retry' }, 'EINVAL');
    refused(s, 'faultRespond', { fd: 7, key: 100, iova: 6, code: 'success' }, 'ENOENT');
  });

  it('SUCCESS leaves the waiting DMA to retry; INVALID aborts it (counted)', () => {
    const s = world();
    ok(s, 'programIoDma', { device: 'dev1', pasid: -1, iova: 5, write: true });
    ok(s, 'devicePageRequest', { device: 'dev1', pasid: -1, iova: 5 });
    expect(ok(s, 'faultRespond', { fd: 0, key: 100, iova: 5, code: 'success' })).toEqual(['fault-response']);
    expect(s.ioasid!.devices[0].inflight.map((x) => x.iova)).toEqual([5]);
    ok(s, 'devicePageRequest', { device: 'dev1', pasid: -1, iova: 5 });
    expect(ok(s, 'faultRespond', { fd: 0, key: 100, iova: 5, code: 'invalid' })).toEqual(['fault-response-invalid', 'fault-response-invalid-aborted-dma', 'fault-response']);
    expect(s.ioasid!.devices[0].inflight).toEqual([]);
    expect(s.ioasid!.pendingFaults).toEqual([]);
    expect(failing(s)).toEqual([]);
  });

  it("FAILURE stops the device's page requests (dropped, counted) until a bind resets it", () => {
    const s = world();
    ok(s, 'devicePageRequest', { device: 'dev1', pasid: -1, iova: 5 });
    expect(ok(s, 'faultRespond', { fd: 0, key: 100, iova: 5, code: 'failure' })).toEqual(['fault-response-failure', 'fault-response']);
    expect(refused(s, 'devicePageRequest', { device: 'dev1', pasid: -1, iova: 6 }, 'EOPNOTSUPP')).toEqual(['page-request-after-failure-dropped']);
    ok(s, 'ioasidClose', { fd: 0 });
    ok(s, 'ioasidOpen', { proc: P1 });
    ok(s, 'bindIoasidFd', { device: 'dev1', fd: 2 });
    ok(s, 'ioasidAlloc', { fd: 2 });
    ok(s, 'attachIoasid', { device: 'dev1', fd: 2, ioasid: 0, vpasid: -1 });
    expect(ok(s, 'devicePageRequest', { device: 'dev1', pasid: -1, iova: 6 })).toEqual(['page-request-queued']);
  });

  it('freeing an IOASID drains its pending faults (counted)', () => {
    const s = world();
    ok(s, 'attachIoasid', { device: 'dev1', fd: 0, ioasid: 1, vpasid: -1 });
    ok(s, 'devicePageRequest', { device: 'dev1', pasid: -1, iova: 0 });
    expect(s.ioasid!.pendingFaults.map((p) => [p.fd, p.ioasid])).toEqual([[0, 1]]);
    ok(s, 'detachIoasid', { device: 'dev1', vpasid: -1 });
    ok(s, 'detachIoasid', { device: 'dev2', vpasid: -1 });
    expect(ok(s, 'ioasidFree', { fd: 0, ioasid: 1 })).toEqual(['ioasid-freed-with-faults-pending']);
    expect(s.ioasid!.pendingFaults).toEqual([]);
    expect(s.ioasid!.fds[0]!.ring).toEqual([]);
  });
});

describe("a VMM process's exit and munmap", () => {
  it('munmapping a pinned page is counted and the pin keeps the frame; exit closes the fds', () => {
    const s = world();
    const m = mfnOf(s, 0);
    expect(ok(s, 'decreaseReservation', { dom: P1, gfn: 0 })).toContain('hva-munmapped-while-pinned');
    expect(s.frames[m]).toMatchObject({ owner: { kind: 'dom', dom: P1 }, refcount: 1 });
    expect(ok(s, 'destroyDomain', { dom: P1 })).toContain('process-exit-with-devices-bound');
    expect(s.ioasid!.fds[0]).toBeNull();
    expect(s.frames[m].owner).toEqual({ kind: 'free' });
    expect(failing(s)).toEqual([]);
  });
});
