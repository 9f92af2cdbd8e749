import { describe, expect, it } from 'vitest';
import { placeTables } from '../../../../src/model/rmrr/ops/hvmloader.ts';

const layout = { biosEnd: 3, holeStart: 12 };
const freeExcept = (...used: number[]) => (gfn: number) => !used.includes(gfn);

describe('hvmloader placing its tables', () => {
  it('takes the highest free GFN below the MMIO hole', () => {
    expect(placeTables(layout, freeExcept(), new Set())).toEqual({ gfn: 11, avoidedReserved: false, warnings: [] });
  });

  it('passes over GFNs already in use', () => {
    expect(placeTables(layout, freeExcept(11, 10), new Set()).gfn).toBe(9);
  });

  it('v2: passes over reserved GFNs, and says it did', () => {
    expect(placeTables(layout, freeExcept(), new Set([11, 10]))).toEqual({ gfn: 9, avoidedReserved: true, warnings: [] });
  });

  it('2014: knows no reservation, so lands on one', () => {
    expect(placeTables(layout, freeExcept()).gfn).toBe(11);
  });

  it('warns, placing nothing, when every candidate is used or reserved; never the BIOS region', () => {
    const plan = placeTables(layout, (g) => g < 3 || g !== 5, new Set([3, 4, 6, 7, 8, 9, 10, 11]));
    expect(plan.gfn).toBeNull();
    expect(plan.warnings).toEqual(['hvmloader: no free GFN outside reserved ranges for the ACPI tables']);
  });
});
