import { describe, expect, it } from 'vitest';
import type { ReachEntry } from '../../../src/model/core/path.ts';
import {
  classifyRmrrGfn,
  deviceRmrrGfns,
  domainUsesRmrr,
  isIdentityEntry,
  isReservedGfn,
  rmrrGfns,
  rmrrOfMfn,
  rmrrReachAllowed,
  sharersOf,
} from '../../../src/model/rmrr/rmrr.ts';
import { dev, v2World } from '../../fixtures/rmrr.ts';

describe('RMRR queries', () => {
  it('names the GFNs of an RMRR and of a device', () => {
    const s = v2World();
    expect(rmrrGfns({ base: 12, pages: 2 })).toEqual([12, 13]);
    expect(deviceRmrrGfns(s.platform!, dev(s, 'igd0'))).toEqual([12, 13]);
    expect(deviceRmrrGfns(s.platform!, dev(s, 'nic0'))).toEqual([]);
    expect(rmrrOfMfn(s.platform!, 13)).toBe(2);
    expect(rmrrOfMfn(s.platform!, 4)).toBe(-1);
  });

  it('finds the devices sharing an RMRR', () => {
    const s = v2World();
    expect(sharersOf(s.platform!, dev(s, 'usb1')).map((d) => d.name)).toEqual(['usb2']);
    expect(sharersOf(s.platform!, dev(s, 'usb0'))).toEqual([]);
    expect(sharersOf(s.platform!, dev(s, 'nic0'))).toEqual([]);
  });

  it('knows which domain uses an RMRR through its devices', () => {
    const s = v2World();
    expect(domainUsesRmrr(s.platform!, 0, 2)).toBe(true);
    dev(s, 'igd0').owner = 2;
    expect(domainUsesRmrr(s.platform!, 0, 2)).toBe(false);
    expect(domainUsesRmrr(s.platform!, 2, 2)).toBe(true);
  });

  describe("the hypervisor's table (seed 003 §3.2): unoccupied / identity / other", () => {
    it('unoccupied: an empty p2m slot', () => {
      const s = v2World();
      expect(classifyRmrrGfn(s, 2, 12)).toBe('unoccupied');
    });
    it('identity: mmio_direct gfn == mfn of a reserved frame', () => {
      const s = v2World();
      expect(classifyRmrrGfn(s, 0, 12)).toBe('identity');
      expect(isIdentityEntry(s, 12, s.domains[0].p2m[12])).toBe(true);
    });
    it('other: guest RAM', () => {
      const s = v2World();
      expect(classifyRmrrGfn(s, 1, 2)).toBe('other');
    });
    it('other: direct MMIO of a different frame, or of the right frame with a RAM type', () => {
      const s = v2World();
      s.domains[2].p2m[12] = { mfn: 13, type: 'mmio_direct', gen: 0, counted: false };
      expect(classifyRmrrGfn(s, 2, 12)).toBe('other');
      s.domains[2].p2m[12] = { mfn: 12, type: 'ram_rw', gen: 0, counted: false };
      expect(classifyRmrrGfn(s, 2, 12)).toBe('other');
    });
    it('other: a 1:1 direct map of a frame that is not reserved memory', () => {
      const s = v2World();
      s.domains[2].p2m[6] = { mfn: 6, type: 'mmio_direct', gen: 1, counted: false };
      expect(classifyRmrrGfn(s, 2, 6)).toBe('other');
    });
  });

  it('reads reservations', () => {
    const s = v2World();
    expect(isReservedGfn(s, 2, 12)).toBe(true);
    expect(isReservedGfn(s, 2, 2)).toBe(false);
    expect(isReservedGfn(s, 1, 12)).toBe(false);
    expect(isReservedGfn(s, 3, 12)).toBe(false);
  });

  describe('rmrrReachAllowed', () => {
    const entry = (principal: ReachEntry['principal'], mfn: number): ReachEntry => ({ principal, mfn, write: true, path: [] });

    it("allows a domain's CPU its devices' RMRRs only", () => {
      const s = v2World();
      expect(rmrrReachAllowed(s, entry({ kind: 'cpu', dom: 0 }, 12))).toBe(true);
      expect(rmrrReachAllowed(s, entry({ kind: 'cpu', dom: 1 }, 12))).toBe(false);
    });
    it('allows a device its own RMRR whoever it acts for, and no other RMRR', () => {
      const s = v2World();
      expect(rmrrReachAllowed(s, entry({ kind: 'device', dom: 1, device: 'igd0' }, 13))).toBe(true);
      expect(rmrrReachAllowed(s, entry({ kind: 'device', dom: 1, device: 'igd0' }, 2))).toBe(false);
    });
    it('says nothing for frames outside every RMRR, or without a platform', () => {
      const s = v2World();
      expect(rmrrReachAllowed(s, entry({ kind: 'cpu', dom: 0 }, 4))).toBe(false);
      delete s.platform;
      expect(rmrrReachAllowed(s, entry({ kind: 'cpu', dom: 0 }, 12))).toBe(false);
    });
  });
});
