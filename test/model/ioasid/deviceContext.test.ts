/**
 * The IOASID slice's DMA goes through the core's one device-DMA model: a pdev's request is a `slice`
 * context (core/device/context.ts) whose walk is the slice's two-stage translation and whose IOTLB key
 * is the IOASID (and PASID) the request is attached to.
 */
import { describe, expect, it } from 'vitest';
import { walkContext } from '../../../src/model/core/device/context.ts';
import { emptyIotlb } from '../../../src/model/core/device/iotlb.ts';
import { translateDma } from '../../../src/model/core/device/translate.ts';
import type { Hop } from '../../../src/model/core/path.ts';
import { ioasidDmaContext } from '../../../src/model/ioasid/deviceContext.ts';
import { P1 } from '../../../src/model/ioasid/world.ts';
import { apply, ok, world } from './fixture.ts';

describe('ioasidDmaContext', () => {
  it("walks the slice's translation with its hops, keyed by the attached IOASID (and host PASID)", () => {
    const s = world();
    const io = s.ioasid!;
    const dev1 = io.devices[0];
    const rid = ioasidDmaContext(io, dev1, -1);
    expect(rid).toMatchObject({ kind: 'slice', key: 'ioasid fd0/0' });
    const hops: Hop[] = [];
    expect(walkContext(s, rid, 2, hops)).toEqual({ mfn: s.domains[P1].p2m[2]!.mfn, gen: 1, write: true });
    expect(hops.map((h) => h.via)).toEqual(['ioasidAttach', 'ioasidMap']);
    expect(walkContext(s, rid, 6)).toBeUndefined();
    expect(ioasidDmaContext(io, dev1, 0)).toMatchObject({ key: 'ioasid fd0/2 pasid 0' });
  });

  it('with an IOTLB in the world, an IOASID DMA fills it under that key, and reach follows the cached translation', () => {
    const s = world();
    s.iotlb = emptyIotlb(false);
    ok(s, 'programIoDma', { device: 'dev1', pasid: -1, iova: 1, write: true });
    const m = s.domains[P1].p2m[1]!.mfn;
    expect(apply(s, 'ioDma', { device: 'dev1' }).result).toEqual({ ok: true, value: m });
    expect(s.iotlb.contexts['ioasid fd0/0'].map((e) => [e.bfn, e.mfn])).toEqual([[1, m]]);
    expect(translateDma(s, ioasidDmaContext(s.ioasid!, s.ioasid!.devices[0], -1), 1)).toMatchObject({ mfn: m, cached: true });
  });
});
