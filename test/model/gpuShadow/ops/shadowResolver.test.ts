import { describe, expect, it } from 'vitest';
import { isShadowEntry, mapForDmaResolver, pinGuestPage, translateGpfnResolver } from '../../../../src/model/gpuShadow/ops/shadowResolver.ts';
import { recordingContext, shadowWorld } from '../../../fixtures/gpuShadow.ts';

describe('shadow resolvers', () => {
  it('translateGpfn: the raw MFN, no reference, nothing to give back', () => {
    const s = shadowWorld();
    const e = translateGpfnResolver.obtain(s, 0, 1, 2, recordingContext());
    expect(e).toEqual({ gfn: 2, addr: 8, addrKind: 'mfn', gen: 1, client: 1, pinned: false });
    expect(s.frames[8].refcount).toBe(1);
    translateGpfnResolver.release(s, 0, e as never);
    expect(s.frames[8].refcount).toBe(1);
  });

  it('mapForDma: a reference and a BFN in the backend IOMMU; release unmaps and drops it', () => {
    const s = shadowWorld({ backendKind: 'pvh' });
    const e = mapForDmaResolver.obtain(s, 0, 1, 2, recordingContext());
    expect(e).toEqual({ gfn: 2, addr: 0, addrKind: 'bfn', gen: 1, client: 1, pinned: false });
    expect(s.domains[0].iommu[0]).toMatchObject({ mfn: 8, counted: true });
    expect(s.frames[8].refcount).toBe(2);
    mapForDmaResolver.release(s, 0, e as never);
    expect(s.domains[0].iommu[0]).toBeNull();
    expect(s.frames[8].refcount).toBe(1);
    expect(mapForDmaResolver.obtain(shadowWorld({ backendKind: 'pv-dom0' }), 0, 1, 2, recordingContext())).toEqual({ ok: false, err: 'EOPNOTSUPP' });
  });

  it('pinGuestPage: the shadow entry holds the reference itself', () => {
    const s = shadowWorld();
    const e = pinGuestPage.obtain(s, 0, 1, 2, recordingContext());
    expect(e).toEqual({ gfn: 2, addr: 8, addrKind: 'mfn', gen: 1, client: 1, pinned: true });
    expect(s.frames[8].refcount).toBe(2);
    pinGuestPage.release(s, 0, e as never);
    expect(s.frames[8].refcount).toBe(1);
  });

  it('every resolver refuses what the lookup refuses', () => {
    for (const r of [translateGpfnResolver, pinGuestPage]) {
      const s = shadowWorld();
      const ctx = recordingContext();
      expect(r.obtain(s, 0, 3, 0, ctx)).toEqual({ ok: false, err: 'EPERM' });
      expect(ctx.notes).toEqual(['non-target-map-refused']);
      expect(r.obtain(s, 0, 1, 9, ctx)).toEqual({ ok: false, err: 'EINVAL' });
      s.domains[1].state = 'dying';
      expect(r.obtain(s, 0, 1, 0, ctx)).toEqual({ ok: false, err: 'ESRCH' });
    }
  });

  it('a pinned host address needs a passthrough IOMMU domain', () => {
    const s = shadowWorld({ backendKind: 'pvh' });
    expect(pinGuestPage.obtain(s, 0, 1, 2, recordingContext())).toEqual({ ok: false, err: 'EOPNOTSUPP' });
    expect(s.frames[8].refcount).toBe(1);
  });

  it('isShadowEntry tells an entry from a refusal', () => {
    expect(isShadowEntry({ gfn: 0, addr: 0, addrKind: 'mfn', gen: 1, client: 1, pinned: false })).toBe(true);
    expect(isShadowEntry({ ok: false, err: 'EPERM' })).toBe(false);
  });
});
