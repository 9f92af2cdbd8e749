import { describe, expect, it } from 'vitest';
import { platformFor } from '../../../src/model/rmrr/platformLayout.ts';
import { DEFAULT_SCOPE } from '../../../src/model/core/scope.ts';

describe('platformFor', () => {
  const p = platformFor(DEFAULT_SCOPE);

  it('puts one RMRR inside the guest BIOS region, one just above it, one in the MMIO hole', () => {
    expect(p.layout).toEqual({ biosEnd: 3, holeStart: 12 });
    expect(p.rmrrs).toEqual([
      { base: 2, pages: 1 },
      { base: 3, pages: 1 },
      { base: 12, pages: 2 },
    ]);
    // Above Xen's own frames: firmware cannot have reserved those.
    for (const r of p.rmrrs) expect(r.base).toBeGreaterThanOrEqual(DEFAULT_SCOPE.xenFrames);
  });

  it('has two devices sharing an RMRR, one with a low RMRR of its own, the IGD first, a NIC with none', () => {
    expect(p.devices.map((d) => [d.name, d.kind, d.rmrrs])).toEqual([
      ['igd0', 'igd', [2]],
      ['usb0', 'usb', [0]],
      ['usb1', 'usb', [1]],
      ['usb2', 'usb', [1]],
      ['nic0', 'nic', []],
    ]);
  });

  it('follows the scope', () => {
    const q = platformFor({ ...DEFAULT_SCOPE, gfns: 32, frames: 64, xenFrames: 4 });
    expect(q.layout).toEqual({ biosEnd: 5, holeStart: 24 });
    expect(q.rmrrs.map((r) => r.base)).toEqual([4, 5, 24]);
  });

  it('refuses a scope too small to hold it', () => {
    expect(() => platformFor({ ...DEFAULT_SCOPE, gfns: 4 })).toThrow(/scope too small/);
    expect(() => platformFor({ ...DEFAULT_SCOPE, frames: 8 })).toThrow(/scope too small/);
  });
});
