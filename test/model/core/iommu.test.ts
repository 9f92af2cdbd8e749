import { describe, expect, it } from 'vitest';
import { busFrame, translateBfn } from '../../../src/model/core/iommu.ts';
import { shadowWorld } from '../../fixtures/gpuShadow.ts';

describe('the backend IOMMU', () => {
  it('a PV dom0 context is the identity over RAM', () => {
    const s = shadowWorld({ backendKind: 'pv-dom0' });
    expect(translateBfn(s, 0, 9)).toEqual({ mfn: 9, gen: 1, hops: [{ via: 'iommu', dom: 0, bfn: 9, identity: true }] });
    expect(busFrame(s, 0, 9)).toBe(9);
    expect(translateBfn(s, 0, 999)).toBeUndefined();
    expect(busFrame(s, 0, 999)).toBeUndefined();
    s.frames[9].kind = 'mmio';
    expect(busFrame(s, 0, 9)).toBeUndefined();
  });

  it('a PVH context holds only what was mapped', () => {
    const s = shadowWorld({ backendKind: 'pvh' });
    expect(translateBfn(s, 0, 3)).toBeUndefined();
    expect(busFrame(s, 0, 3)).toBeUndefined();
    s.domains[0].iommu[3] = { mfn: 7, gen: 1, counted: true, source: { kind: 'mapForDma', dom: 1, gfn: 1 } };
    expect(translateBfn(s, 0, 3)).toEqual({ mfn: 7, gen: 1, hops: [{ via: 'iommu', dom: 0, bfn: 3, identity: false }] });
    expect(busFrame(s, 0, 3)).toBe(7);
  });
});
