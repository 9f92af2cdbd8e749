/**
 * The three knobs that hold either way — mapBeforeAttach, pasidTable, deviceModel: what each value
 * makes the ops do (success and each refusal, a refusal changing nothing), and that the world stays
 * sound under both values.
 */
import { describe, expect, it } from 'vitest';
import { cloneState } from '../../../src/model/core/clone.ts';
import { stateDifference } from '../../../src/model/core/equal.ts';
import type { ArgRecord, KnobValues } from '../../../src/model/core/op.ts';
import type { State } from '../../../src/model/core/state.ts';
import { ioasidFd } from '../../../src/model/ioasid/designs/ioasidFd.ts';
import { P1, P2 } from '../../../src/model/ioasid/world.ts';
import { apply, failing, ok, world } from './fixture.ts';

function refused(s: State, name: string, args: ArgRecord, err: string, over: KnobValues = {}): string[] {
  const before = cloneState(s);
  const { result, notes } = apply(s, name, args, over);
  expect(result).toEqual({ ok: false, err });
  expect(stateDifference(before, s)).toBeUndefined();
  return notes;
}

const dev = (s: State, name: string) => s.ioasid!.devices.find((d) => d.name === name)!;

describe('mapBeforeAttach', () => {
  it('false (default): DMA_MAP on an IOASID nothing is attached to is refused (counted); after an attach it maps', () => {
    const s = world();
    ok(s, 'ioasidAlloc', { fd: 0 });
    expect(refused(s, 'dmaMap', { fd: 0, ioasid: 3, iova: 0, addr: 0, pages: 1 }, 'EINVAL')).toEqual(['map-before-attach-refused']);
    ok(s, 'attachIoasid', { device: 'mdev1', fd: 0, ioasid: 3, vpasid: -1 });
    ok(s, 'dmaMap', { fd: 0, ioasid: 3, iova: 0, addr: 0, pages: 1 });
    expect(failing(s)).toEqual([]);
  });

  it('false: a root whose only device is on a child nested on it still maps (§5.3: still attached to the parent); an unattached child does not', () => {
    const s = world();
    ok(s, 'detachIoasid', { device: 'dev1', vpasid: -1 });
    ok(s, 'dmaUnmap', { fd: 0, ioasid: 0, iova: 0, pages: 1 });
    // dev2 (on the giova child) and dev1's vPASID (on the gva child) keep the gpa root in use.
    ok(s, 'dmaMap', { fd: 0, ioasid: 0, iova: 0, addr: 0, pages: 1 });
    ok(s, 'createNesting', { fd: 0, parent: 0, kind: 'giova' });
    refused(s, 'dmaMap', { fd: 0, ioasid: 3, iova: 0, addr: 1, pages: 1 }, 'EINVAL');
  });

  it('true: an IOAS is mapped before any device is attached, and every invariant holds', () => {
    const over = { mapBeforeAttach: true };
    const s = world(over);
    ok(s, 'ioasidAlloc', { fd: 0 }, over);
    expect(ok(s, 'dmaMap', { fd: 0, ioasid: 3, iova: 0, addr: 0, pages: 2 }, over)).toContain('dma-map-before-attach');
    expect(s.ioasid!.fds[0]!.lockedPages).toBe(4);
    expect(failing(s)).toEqual([]);
  });
});

describe('pasidTable', () => {
  it('kernel (default): no PASID-table IOASID and no BIND_PASID_TABLE; vPASIDs are attached one by one', () => {
    const s = world();
    refused(s, 'createNesting', { fd: 0, parent: 0, kind: 'pasidtbl' }, 'EOPNOTSUPP');
    expect(dev(s, 'dev1').pasids.map((p) => p.vpasid)).toEqual([0]);
  });

  it("user-bound: the guest's PASID table (a GPA) is bound and walked through the parent: entry → stage 1 → GPA → frame", () => {
    const ub = { pasidTable: 'user-bound' };
    const s = world(ub);
    ok(s, 'createNesting', { fd: 0, parent: 0, kind: 'pasidtbl' }, ub);
    ok(s, 'detachIoasid', { device: 'dev1', vpasid: -1 }, ub);
    ok(s, 'attachIoasid', { device: 'dev1', fd: 0, ioasid: 3, vpasid: -1 }, ub);
    refused(s, 'bindPasidTable', { fd: 0, ioasid: 3, gpa: 99 }, 'EINVAL', ub);
    ok(s, 'bindPasidTable', { fd: 0, ioasid: 3, gpa: 0 }, ub);
    refused(s, 'bindPasidTable', { fd: 0, ioasid: 3, gpa: 1 }, 'EBUSY', ub);
    // PASID 1's entry names the stage-1 root at GPA 1; its entry 2 names GPA 3.
    ok(s, 'guestWriteIoPte', { proc: P1, gpa: 0, index: 1, value: 1 }, ub);
    ok(s, 'guestWriteIoPte', { proc: P1, gpa: 1, index: 2, value: 3 }, ub);
    ok(s, 'programIoDma', { device: 'dev1', pasid: 1, iova: 2, write: true }, ub);
    expect(apply(s, 'ioDma', { device: 'dev1' }, ub).result).toEqual({ ok: true, value: s.domains[P1].p2m[3]!.mfn });
    expect(failing(s)).toEqual([]);
  });

  it('pasidTableAddr=hpa is shipped with pasidTable=user-bound (without it no table is ever bound)', () => {
    expect(ioasidFd.variants).toContainEqual({ pasidTable: 'user-bound', pasidTableAddr: 'hpa' });
    expect(ioasidFd.variants).not.toContainEqual({ pasidTableAddr: 'hpa' });
    expect(ioasidFd.expect({ pasidTableAddr: 'hpa' })['dma-only-own-memory']).toBeUndefined();
    expect(ioasidFd.expect({ pasidTable: 'user-bound', pasidTableAddr: 'hpa' })['dma-only-own-memory']?.verdict).toBe('violated');
  });
});

describe('deviceModel', () => {
  const gf = { deviceModel: 'group-fd' };

  it('device-fd (default): one member of a group is bound and given away on its own', () => {
    const s = world();
    ok(s, 'bindIoasidFd', { device: 'dev3', fd: 0 });
    expect(dev(s, 'dev4').boundFd).toBe(-1);
    const t = world();
    ok(t, 'assignDeviceToProcess', { device: 'dev4', proc: P2 });
    expect([dev(t, 'dev3').owner, dev(t, 'dev4').owner]).toEqual([P1, P2]);
  });

  it('group-fd: binding one member binds the group (labels each, counted); a bound group cannot bind again', () => {
    const s = world(gf);
    const { result, notes } = apply(s, 'bindIoasidFd', { device: 'dev4', fd: 0 }, gf);
    expect(result).toEqual({ ok: true, value: 105 });
    expect(notes).toEqual(['group-bound-as-unit']);
    expect([dev(s, 'dev3'), dev(s, 'dev4')].map((d) => [d.boundFd, d.label])).toEqual([
      [0, 104],
      [0, 105],
    ]);
    refused(s, 'bindIoasidFd', { device: 'dev3', fd: 0 }, 'EBUSY', gf);
    ok(s, 'attachIoasid', { device: 'dev3', fd: 0, ioasid: 0, vpasid: -1 }, gf);
    ok(s, 'attachIoasid', { device: 'dev4', fd: 0, ioasid: 0, vpasid: -1 }, gf);
    expect(s.ioasid!.groups[0].ctx).toEqual({ fd: 0, ioasid: 0 });
    expect(failing(s)).toEqual([]);
  });

  it('group-fd: the toolstack gives the whole group or nothing; a group with a bound member stays', () => {
    const s = world(gf);
    ok(s, 'assignDeviceToProcess', { device: 'dev4', proc: P2 }, gf);
    expect([dev(s, 'dev3').owner, dev(s, 'dev4').owner]).toEqual([P2, P2]);
    expect(refused(s, 'bindIoasidFd', { device: 'dev3', fd: 0 }, 'EPERM', gf)).toEqual(['bind-unowned-device-refused']);
    ok(s, 'bindIoasidFd', { device: 'dev3', fd: 1 }, gf);
    refused(s, 'assignDeviceToProcess', { device: 'dev4', proc: P1 }, 'EBUSY', gf);
    expect(failing(s)).toEqual([]);
  });
});
