/**
 * no-stale-reference and refcounts-match-refs cover shadow entries and pins through the refs relation.
 */
import { describe, expect, it } from 'vitest';
import { noStaleReference } from '../../../invariants/core/noStaleReference.ts';
import { refcountsMatchRefs } from '../../../invariants/core/refcountsMatchRefs.ts';
import { kvmgtPageTrack } from '../../../src/model/gpuShadow/designs/kvmgtPageTrack.ts';
import { xengtShadowTranslate } from '../../../src/model/gpuShadow/designs/xengtShadowTranslate.ts';
import { derive } from '../../../src/model/derived.ts';
import { run, shadowWorld } from '../../fixtures/gpuShadow.ts';

describe('shadow entries in the refs relation', () => {
  it('no-stale-reference: a raw-MFN shadow PPGTT entry whose page was ballooned out and reallocated', () => {
    const s = shadowWorld({ memslots: 'xen' });
    const d = xengtShadowTranslate;
    run(d, s, 'guestWritePte', { dom: 1, gfn: 0, index: 0, value: 0 });
    run(d, s, 'ppgttCreate', { dom: 1, root: 0 });
    expect(noStaleReference.check(derive(s))).toEqual([]);
    run(d, s, 'decreaseReservation', { dom: 1, gfn: 0 });
    run(d, s, 'populatePhysmap', { dom: 3, gfn: 5, mfn: 6 });
    const w = noStaleReference.check(derive(s));
    expect(w).toMatchObject([{ reason: 'stale-generation', mfn: 6, expected: 1, actual: 2, holder: { via: 'shadowPpgtt', owner: 1, ppgtt: 0, gma: 0, client: 1, gfn: 0 } }]);
    expect(noStaleReference.describe(w[0])).toMatch(/^shadow PPGTT 0 of dom1 gma 0x0 \(dom1 gfn 0x0\) was taken at gen 1 but mfn 0x6 \(owner dom3, gen 2\)/);
  });

  it('refcounts-match-refs: pins are counted references', () => {
    const s = shadowWorld();
    const d = kvmgtPageTrack;
    run(d, s, 'ggttWrite', { dom: 1, index: 0, value: 2 });
    run(d, s, 'ggttWrite', { dom: 1, index: 1, value: 2 });
    expect(s.frames[8].refcount).toBe(3);
    expect(refcountsMatchRefs.check(derive(s))).toEqual([]);
    run(d, s, 'decreaseReservation', { dom: 1, gfn: 2 });
    expect(refcountsMatchRefs.check(derive(s))).toEqual([]);
    // A pin released without its entry going (a leaked unpin): the count no longer matches.
    s.frames[8].refcount -= 1;
    expect(refcountsMatchRefs.check(derive(s))).toMatchObject([{ reason: 'refcount-mismatch', mfn: 8, expected: 2, actual: 1 }]);
  });
});
