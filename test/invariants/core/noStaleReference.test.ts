import { describe, expect, it } from 'vitest';
import { noStaleReference } from '../../../invariants/core/noStaleReference.ts';
import { xenTranslateGpfn } from '../../../src/model/core/designs/xenTranslateGpfn.ts';
import type { State } from '../../../src/model/core/state.ts';
import { mapForDma, translateGpfn } from '../../../src/model/core/ops/dmaAddress.ts';
import { mapForeign } from '../../../src/model/core/ops/foreign.ts';
import { makeShadowSet } from '../../../src/model/core/ops/dmaTableOps.ts';
import { grantAccess, mapGrant } from '../../../src/model/core/ops/grants.ts';
import { decreaseReservation, populatePhysmap } from '../../../src/model/core/ops/memory.ts';
import { applyOk, initialWorlds, witnesses, world } from '../../helpers/world.ts';

const check = (s: State) => witnesses(noStaleReference, s);

/** Steps 1-2 of the seed's race: the device model looks up dom1's gfn 2 (mfn 8), then dom1 balloons it out. */
function lookedUpThenBallooned(): State {
  const s = world(xenTranslateGpfn);
  applyOk(s, makeShadowSet(translateGpfn), { client: 1, slot: 0, gfn: 2 });
  applyOk(s, decreaseReservation, { dom: 1, gfn: 2 });
  return s;
}

describe('no-stale-reference holds', () => {
  it('in the initial worlds', () => {
    for (const s of initialWorlds()) expect(check(s)).toEqual([]);
  });

  it('after a ballooned-out frame is freed but before anyone is given it: the generation is still the one looked up', () => {
    expect(check(lookedUpThenBallooned())).toEqual([]);
  });

  it('when map-for-DMA holds a reference across the balloon, so the frame cannot be reallocated', () => {
    const s = world();
    applyOk(s, makeShadowSet(mapForDma), { client: 1, slot: 0, gfn: 2 });
    applyOk(s, decreaseReservation, { dom: 1, gfn: 2 });
    applyOk(s, populatePhysmap, { dom: 3, gfn: 5, mfn: 18 });
    expect(check(s)).toEqual([]);
  });
});

describe('no-stale-reference is violated', () => {
  it('by the raw MFN in the DMA table once the frame is given to another guest (the seed\'s race)', () => {
    const s = lookedUpThenBallooned();
    applyOk(s, populatePhysmap, { dom: 3, gfn: 5, mfn: 8 });
    const [w, ...rest] = check(s);
    expect(rest).toEqual([]);
    expect(w).toEqual({
      reason: 'stale-generation',
      mfn: 8,
      holder: { via: 'dmaTable', backend: 0, client: 1, slot: 0 },
      expected: 1,
      actual: 2,
      frame: { owner: { kind: 'dom', dom: 3 }, gen: 2, refcount: 1 },
    });
    expect(noStaleReference.describe(w)).toBe(
      'DMA table of dom1 slot 0 was taken at gen 1 but mfn 0x8 (owner dom3, gen 2) has been reallocated since',
    );
  });

  it('by a p2m entry (here a foreign map) older than its frame', () => {
    const s = world();
    applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 0, callerGfn: 9 });
    s.domains[0].p2m[9] = { ...s.domains[0].p2m[9]!, gen: 0 };
    const [w, ...rest] = check(s);
    expect(rest).toEqual([]);
    expect(w).toMatchObject({ mfn: 6, holder: { via: 'p2m', dom: 0, gfn: 9, type: 'foreign' }, expected: 0, actual: 1 });
    expect(noStaleReference.describe(w)).toContain('dom0 p2m gfn 0x9 (foreign) was taken at gen 0');
  });

  it("by an IOMMU entry (here a grant's device mapping) older than its frame", () => {
    const s = world();
    applyOk(s, grantAccess, { granter: 2, ref: 0, grantee: 0, gfn: 1, readonly: false });
    applyOk(s, mapGrant, { grantee: 0, granter: 2, ref: 0, readonly: false, hostGfn: -1, deviceBfn: 4 });
    s.domains[0].iommu[4] = { ...s.domains[0].iommu[4]!, gen: 0 };
    const [w, ...rest] = check(s);
    expect(rest).toEqual([]);
    expect(w).toMatchObject({ mfn: 11, holder: { via: 'iommu', dom: 0, bfn: 4 }, expected: 0, actual: 1 });
    expect(noStaleReference.describe(w)).toContain('dom0 IOMMU bfn 0x4 was taken at gen 0');
  });
});
