/**
 * The eight IOASID invariants: each holds on the pre-boot world and on a sound sequence, and each is
 * broken — with the witness in words — by the knob value the issue names, on a short explicit trace.
 */
import { describe, expect, it } from 'vitest';
import { findInvariant } from '../../../invariants/registry.ts';
import type { Action, KnobValues } from '../../../src/model/core/op.ts';
import { ioasidFd } from '../../../src/model/ioasid/designs/ioasidFd.ts';
import { IOASID_INVARIANT_IDS } from '../../../src/model/ioasid/designs/ioasidInvariants.ts';
import { broken, failing, run, witnessText, world } from '../../model/ioasid/fixture.ts';

/** A trace that breaks `id` under `knobs`, with the words its witness must say. */
interface Case {
  id: string;
  knobs: KnobValues;
  trace: Action[];
  says: RegExp;
}

/** §5.3 after boot: dev2 is on the giova child (IOASID 1); the guest's vIOMMU maps GIOVA 0 → GPA 1. */
const CHILD: Action[] = [{ op: 'dmaMap', fd: 0, ioasid: 1, iova: 0, addr: 1, pages: 1 }];

const CASES: Case[] = [
  {
    id: 'dma-only-own-memory',
    knobs: { groupPolicy: 'per-device' },
    trace: [
      { op: 'assignDeviceToProcess', device: 'dev4', proc: 2 },
      { op: 'bindIoasidFd', device: 'dev3', fd: 0 },
      { op: 'attachIoasid', device: 'dev3', fd: 0, ioasid: 0, vpasid: -1 },
    ],
    says: /^dom2 device dev4 → dev4 group's shared context → fd0 IOASID 0 → fd0 IOASID 0 iova 0x0 → dom1 hva 0x0 → mfn 0x6 \(owner dom1, gen 1\): the device acts for dom2/,
  },
  {
    id: 'attach-only-through-bound-fd',
    knobs: { attachCheck: 'any-fd' },
    trace: [{ op: 'attachIoasid', device: 'mdev1', fd: 1, ioasid: 0, vpasid: -1 }],
    says: /^a device of dom1 bound to fd0 was attached to an IOASID of fd1$/,
  },
  {
    id: 'no-partial-group-dma',
    knobs: { groupPolicy: 'per-device' },
    trace: [
      { op: 'bindIoasidFd', device: 'dev3', fd: 0 },
      { op: 'attachIoasid', device: 'dev3', fd: 0, ioasid: 0, vpasid: -1 },
    ],
    says: /^dom1 device dev3 → dev3 group's shared context → .*: its IOMMU group is only partly attached/,
  },
  {
    id: 'unmap-revokes-before-unpin',
    knobs: { accessUnmapCallback: 'ignored' },
    trace: [
      { op: 'attachIoasid', device: 'mdev1', fd: 0, ioasid: 0, vpasid: -1 },
      { op: 'accessPin', device: 'mdev1', iova: 1 },
      { op: 'dmaUnmap', fd: 0, ioasid: 0, iova: 1, pages: 1 },
    ],
    says: /^dom1 device mdev1 → mdev1 access pin of fd0 IOASID 0 iova 0x1 → mfn 0x7 .*: still reaches mfn 0x7 .* after the unmap returned$/,
  },
  {
    id: 'locked-accounting-exact',
    knobs: { accounting: 'per-map' },
    // HVA 0, mapped at IOVA 0 already, mapped again at IOVA 4 (a new IOASID would need an attach first).
    trace: [{ op: 'dmaMap', fd: 0, ioasid: 0, iova: 4, addr: 0, pages: 1 }],
    says: /^fd0 of dom1 is charged 5 locked pages but pins 4 distinct frames$/,
  },
  {
    id: 'nested-shadow-coherent',
    knobs: { shadowUpdate: 'snapshot' },
    trace: [...CHILD, { op: 'dmaUnmap', fd: 0, ioasid: 0, iova: 1, pages: 1 }],
    says: /^fd0 IOASID 1 shadow at iova 0x0 holds gpa 0x1 → mfn 0x7 \(gen 1\) but the two levels compose to nothing$/,
  },
  {
    id: 'pasid-confined-to-fd',
    knobs: { kvmMapPasidCheck: false },
    trace: [{ op: 'kvmMapPasid', proc: 1, fd: 1, ioasid: 0, guestPasid: 0 }],
    says: /^dom1 device mdev1 → KVM PASID table of dom1: guest PASID 0 → fd1 IOASID 0 → .*: a PASID-tagged DMA resolved outside its device's bound fd$/,
  },
  {
    id: 'fault-delivered-to-owner',
    knobs: { drainOnFree: false },
    trace: [
      { op: 'devicePageRequest', device: 'dev1', pasid: -1, iova: 5 },
      { op: 'ioasidClose', fd: 0 },
    ],
    says: /^a page request of dev1 \(iova 0x5\) is pending on fd0, not its bound fd or label$/,
  },
  {
    id: 'iommu-follows-memslots',
    knobs: { memslotListener: 'none' },
    trace: [{ op: 'kvmSetMemslot', proc: 1, gpa: 1, hva: 5 }],
    says: /^fd0 IOASID 0 maps gpa 0x1 from dom1 hva 0x1, but its memslot now puts it at hva 0x5$/,
  },
];

describe('the IOASID invariants', () => {
  it('are registered, one case each below, and checked by both IOASID designs', () => {
    expect(CASES.map((c) => c.id).sort()).toEqual([...IOASID_INVARIANT_IDS].sort());
    for (const id of IOASID_INVARIANT_IDS) expect(findInvariant(id), id).toBeDefined();
  });

  it('all hold on the pre-boot world and on a sound nested sequence with a parent unmap', () => {
    expect(failing(world())).toEqual([]);
    expect(broken(run([...CHILD, { op: 'dmaUnmap', fd: 0, ioasid: 0, iova: 1, pages: 1 }]))).toEqual([]);
  });

  it.each(CASES.map((c) => [c.id, c] as const))('%s breaks under its knob, with its witness in words, and holds on the same trace by default', (_id, c) => {
    const o = run(c.trace, c.knobs, [c.id]);
    expect(broken(o)).toEqual([c.id]);
    expect(o.kind === 'violation' && o.step).toBe(c.trace.length - 1);
    expect(witnessText(o, c.id)).toMatch(c.says);
    expect(ioasidFd.expect({ ...c.knobs })[c.id]?.verdict).toBe('violated');
    expect(broken(run(c.trace, {}, [c.id]))).toEqual([]);
  });

  it('shadowUpdate=snapshot: munmap and reallocation to P2 turn the stale shadow into a stale reference and a foreign DMA', () => {
    const trace: Action[] = [...CHILD, { op: 'dmaUnmap', fd: 0, ioasid: 0, iova: 1, pages: 1 }, { op: 'decreaseReservation', dom: 1, gfn: 1 }, { op: 'populatePhysmap', dom: 2, gfn: 5, mfn: 7 }];
    const stale = run(trace, { shadowUpdate: 'snapshot' }, ['no-stale-reference']);
    expect(witnessText(stale, 'no-stale-reference')).toMatch(/^shadow of fd0 IOASID 1: iova 0x0 \(gpa 0x1\) was taken at gen 1 but mfn 0x7 \(owner dom2, gen 2\)/);
    const foreign = run(trace, { shadowUpdate: 'snapshot' }, ['dma-only-own-memory']);
    expect(witnessText(foreign, 'dma-only-own-memory')).toMatch(/^dom1 device dev2 → dev2 RID → fd0 IOASID 1 → shadow of fd0 IOASID 1/);
    expect(broken(run(trace, {}))).toEqual([]);
  });

  it('pasidTableAddr=hpa: a bound PASID table read at a host address reaches the kernel frame it names (3 actions)', () => {
    const trace: Action[] = [
      { op: 'createNesting', fd: 0, parent: 0, kind: 'pasidtbl' },
      { op: 'attachIoasid', device: 'dev1', fd: 0, ioasid: 3, vpasid: -1 },
      { op: 'bindPasidTable', fd: 0, ioasid: 3, gpa: 0 },
    ];
    const o = run(trace, { pasidTable: 'user-bound', pasidTableAddr: 'hpa' }, ['no-xen-frame-reach', 'dma-only-own-memory', 'pasid-confined-to-fd']);
    expect(broken(o).sort()).toEqual(['dma-only-own-memory', 'no-xen-frame-reach', 'pasid-confined-to-fd']);
    expect(broken(run(trace, {}))).toEqual([]);
    // The guest's table bound where it is, in GPA space, holds.
    expect(broken(run(trace, { pasidTable: 'user-bound' }))).toEqual([]);
  });

  it('faultKey=ioasid: answering one fault resumes every fault pending on the IOASID', () => {
    const trace: Action[] = [
      { op: 'devicePageRequest', device: 'dev1', pasid: -1, iova: 5 },
      { op: 'devicePageRequest', device: 'dev1', pasid: -1, iova: 6 },
      { op: 'faultRespond', fd: 0, key: 0, iova: 5, code: 'success' },
    ];
    const o = run(trace, { faultKey: 'ioasid' }, ['fault-delivered-to-owner']);
    expect(witnessText(o, 'fault-delivered-to-owner')).toMatch(/^one response completed 2 pending fault\(s\) \(dev1 iova 0x5, dev1 iova 0x6\)/);
  });
});
