import { describe, expect, it } from 'vitest';
import { deviceReach, iommuOnlyRefs, translateDeviceBfn } from '../../../src/model/rmrr/deviceDma.ts';
import type { ReachEntry, Ref } from '../../../src/model/core/path.ts';
import { dev, v2World, world2014 } from '../../fixtures/rmrr.ts';

describe('translateDeviceBfn', () => {
  it('shared EPT: the IOMMU walks the p2m (BFN == GFN); emulated MMIO and holes fault', () => {
    const s = v2World();
    const nic = dev(s, 'nic0');
    const t = translateDeviceBfn(s, s.platform!, nic, 0)!;
    expect(t.mfn).toBe(s.domains[0].p2m[0]!.mfn);
    expect(t.write).toBe(true);
    expect(t.hops).toEqual([
      { via: 'context', dom: 0, mode: 'shared-ept' },
      { via: 'p2m', dom: 0, gfn: 0, type: 'ram_rw' },
    ]);
    expect(translateDeviceBfn(s, s.platform!, nic, 8)).toBeUndefined();
    s.domains[0].p2m[8] = { mfn: 30, type: 'mmio_dm', gen: 0, counted: false };
    expect(translateDeviceBfn(s, s.platform!, nic, 8)).toBeUndefined();
    s.domains[0].p2m[8] = { mfn: 30, type: 'foreign', gen: 0, counted: true, foreign: { dom: 1, gfn: 0 } };
    expect(translateDeviceBfn(s, s.platform!, nic, 8)?.hops.at(-1)).toEqual({ via: 'foreign', dom: 1, gfn: 0 });
  });

  it('separate IOMMU: the mirror of p2m_get_iommu_flags — read-only RAM stays read-only, foreign maps are read-write (p2m_map_foreign, issue 17 row 2)', () => {
    const s = v2World({ iommuPt: 'separate' });
    const nic = dev(s, 'nic0');
    s.domains[0].p2m[0] = { ...s.domains[0].p2m[0]!, type: 'ram_ro' };
    expect(translateDeviceBfn(s, s.platform!, nic, 0)).toMatchObject({ write: false });
    s.domains[0].p2m[8] = { mfn: 30, type: 'foreign', gen: 0, counted: true, foreign: { dom: 1, gfn: 0 } };
    expect(translateDeviceBfn(s, s.platform!, nic, 8)).toMatchObject({ mfn: 30, write: true });
    s.domains[0].p2m[8] = { mfn: 30, type: 'mmio_dm', gen: 0, counted: false };
    expect(translateDeviceBfn(s, s.platform!, nic, 8)).toBeUndefined();
    expect(translateDeviceBfn(s, s.platform!, nic, 12)).toMatchObject({ mfn: 12, write: true });
  });

  it('separate IOMMU: an IOMMU-only entry (the 2014 code) wins over the p2m', () => {
    const s = world2014({ iommuPt: 'separate' });
    const usb = dev(s, 'usb0');
    usb.owner = 1;
    usb.context = 1;
    s.platform!.domains[1].iommuOnly.push({ bfn: 2, mfn: 2, gen: 0 });
    const t = translateDeviceBfn(s, s.platform!, usb, 2)!;
    expect(t.mfn).toBe(2);
    expect(s.domains[1].p2m[2]!.mfn).not.toBe(2);
    expect(t.hops[1]).toEqual({ via: 'iommu', dom: 1, bfn: 2, identity: true });
  });

  it('quarantine: only the identity of the device\'s own RMRRs', () => {
    const s = v2World();
    const igd = dev(s, 'igd0');
    igd.owner = null;
    igd.context = 'quarantine';
    expect(translateDeviceBfn(s, s.platform!, igd, 13)).toMatchObject({ mfn: 13, hops: [{ via: 'context', of: 'quarantine', rmrr: 2 }] });
    expect(translateDeviceBfn(s, s.platform!, igd, 2)).toBeUndefined();
    expect(translateDeviceBfn(s, s.platform!, igd, 0)).toBeUndefined();
  });

  it('a dead domain\'s context faults', () => {
    const s = v2World();
    const nic = dev(s, 'nic0');
    nic.context = 3;
    expect(translateDeviceBfn(s, s.platform!, nic, 0)).toBeUndefined();
  });
});

describe('deviceReach', () => {
  it('adds nothing without a platform', () => {
    const s = v2World();
    delete s.platform;
    const out: ReachEntry[] = [];
    deviceReach(s, out);
    expect(out).toEqual([]);
  });

  it("a device reaches, for its owner, everything its context maps", () => {
    const s = v2World();
    const out: ReachEntry[] = [];
    deviceReach(s, out);
    const nic = out.filter((e) => e.principal.device === 'nic0');
    const mapped = s.domains[0].p2m.map((e) => e?.mfn).filter((m) => m !== undefined);
    expect(nic.map((e) => e.mfn).sort()).toEqual([...mapped].sort());
    expect(nic.every((e) => e.principal.kind === 'device' && e.principal.dom === 0)).toBe(true);
  });

  it('a DMA in flight acts for the domain that programmed it, through the context the device is in now', () => {
    const s = v2World();
    const nic = dev(s, 'nic0');
    nic.inflight.push({ by: 2, device: nic.name, bfn: 1, write: true });
    const out: ReachEntry[] = [];
    deviceReach(s, out);
    const inflight = out.filter((e) => e.principal.dom === 2);
    expect(inflight).toHaveLength(1);
    expect(inflight[0].mfn).toBe(s.domains[0].p2m[1]!.mfn);
    expect(inflight[0].path[0]).toEqual({ via: 'dma', device: 'nic0', bfn: 1, by: 2, inflight: true });
    expect(JSON.parse(JSON.stringify(inflight[0])).path).toHaveLength(3);
  });

  it('a quarantined device reaches only its own RMRR, and only with DMA in flight', () => {
    const s = v2World();
    const igd = dev(s, 'igd0');
    igd.owner = null;
    igd.context = 'quarantine';
    const out: ReachEntry[] = [];
    deviceReach(s, out);
    expect(out.filter((e) => e.principal.device === 'igd0')).toEqual([]);
    igd.inflight.push({ by: 1, device: igd.name, bfn: 12, write: true }, { by: 1, device: igd.name, bfn: 0, write: true });
    deviceReach(s, out);
    expect(out.filter((e) => e.principal.device === 'igd0').map((e) => e.mfn)).toEqual([12]);
  });
});

describe('iommuOnlyRefs', () => {
  it('holds an uncounted reference per IOMMU-only entry of a live domain', () => {
    const s = world2014({ iommuPt: 'separate' });
    s.platform!.domains[1].iommuOnly.push({ bfn: 2, mfn: 2, gen: 0 });
    s.platform!.domains[3].iommuOnly.push({ bfn: 3, mfn: 3, gen: 0 });
    const out: Ref[] = [];
    iommuOnlyRefs(s, out);
    expect(out).toEqual([{ mfn: 2, gen: 0, counted: false, holder: { via: 'iommu', dom: 1, bfn: 2, identity: true } }]);
  });
});
