import { describe, expect, it } from 'vitest';
import { refcountsMatchRefs } from '../../../invariants/core/refcountsMatchRefs.ts';
import { xenTranslateGpfn } from '../../../src/model/core/designs/xenTranslateGpfn.ts';
import type { State } from '../../../src/model/core/state.ts';
import { mapForDma, translateGpfn } from '../../../src/model/core/ops/dmaAddress.ts';
import { mapForeign } from '../../../src/model/core/ops/foreign.ts';
import { makeShadowSet } from '../../../src/model/core/ops/dmaTableOps.ts';
import { grantAccess, mapGrant } from '../../../src/model/core/ops/grants.ts';
import { FREE_MFN, applyOk, initialWorlds, witnesses, world } from '../../helpers/world.ts';

const check = (s: State) => witnesses(refcountsMatchRefs, s);

describe('refcounts-match-refs holds', () => {
  it('in the initial worlds', () => {
    for (const s of initialWorlds()) expect(check(s)).toEqual([]);
  });

  it('with grant maps (host and device), foreign maps and map-for-DMA each counting one', () => {
    const s = world();
    applyOk(s, grantAccess, { granter: 1, ref: 0, grantee: 0, gfn: 0, readonly: false });
    applyOk(s, mapGrant, { grantee: 0, granter: 1, ref: 0, readonly: false, hostGfn: 8, deviceBfn: 8 });
    applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 0, callerGfn: 9 });
    applyOk(s, makeShadowSet(mapForDma), { client: 1, slot: 0, gfn: 0 });
    expect(s.frames[6].refcount).toBe(5);
    expect(check(s)).toEqual([]);
  });

  it("with raw MFNs in the DMA table, which Xen never counted", () => {
    const s = world(xenTranslateGpfn);
    applyOk(s, makeShadowSet(translateGpfn), { client: 1, slot: 0, gfn: 0 });
    expect(check(s)).toEqual([]);
  });

  it("whatever the count of MMIO frames and Xen's own frames, which are outside this discipline", () => {
    const s = world();
    s.frames[30].kind = 'mmio';
    s.frames[30].refcount = 3;
    s.domains[2].p2m[7] = { mfn: 0, type: 'ram_rw', gen: 1, counted: true };
    expect(check(s)).toEqual([]);
  });
});

describe('refcounts-match-refs is violated', () => {
  it('when a frame counts more references than exist (a leak)', () => {
    const s = world();
    s.frames[6].refcount = 2;
    const [w, ...rest] = check(s);
    expect(rest).toEqual([]);
    expect(w).toEqual({
      reason: 'refcount-mismatch',
      mfn: 6,
      expected: 1,
      actual: 2,
      frame: { owner: { kind: 'dom', dom: 1 }, gen: 1, refcount: 2 },
    });
    expect(refcountsMatchRefs.describe(w)).toBe('mfn 0x6 (owner dom1) has refcount 2 but 1 counted references');
  });

  it('when a mapping claims a reference it never took (a use-after-free waiting to happen)', () => {
    const s = world();
    s.domains[0].p2m[9] = { mfn: 6, type: 'foreign', gen: 1, counted: true, foreign: { dom: 1, gfn: 0 } };
    expect(check(s)).toEqual([expect.objectContaining({ reason: 'refcount-mismatch', mfn: 6, expected: 2, actual: 1 })]);
  });

  it('when a free frame keeps a count', () => {
    const s = world();
    s.frames[FREE_MFN].refcount = 1;
    const [w] = check(s);
    expect(w).toMatchObject({ reason: 'refcount-mismatch', mfn: FREE_MFN, expected: 0, actual: 1, frame: { owner: { kind: 'free' } } });
    expect(refcountsMatchRefs.describe(w)).toContain('mfn 0x14 (owner free) has refcount 1 but 0 counted references');
  });

  it('when a counted mapping names a frame that was freed', () => {
    const s = world();
    s.domains[2].p2m[7] = { mfn: FREE_MFN, type: 'ram_rw', gen: 0, counted: true };
    expect(check(s)).toEqual([expect.objectContaining({ reason: 'refcount-mismatch', mfn: FREE_MFN, expected: 1, actual: 0 })]);
  });

  it('when a domain owns a frame nothing references', () => {
    const s = world();
    s.domains[1].p2m[0] = null;
    s.frames[6].refcount = 0;
    const [w, ...rest] = check(s);
    expect(rest).toEqual([]);
    expect(w).toMatchObject({ reason: 'owned-frame-unreferenced', mfn: 6, expected: '>0', actual: 0 });
    expect(refcountsMatchRefs.describe(w)).toBe('mfn 0x6 (owner dom1) is owned but nothing references it: leaked');
  });
});
