import { describe, expect, it } from 'vitest';
import { noForeignReach } from '../../../invariants/core/noForeignReach.ts';
import { xenTranslateGpfn } from '../../../src/model/core/designs/xenTranslateGpfn.ts';
import type { State } from '../../../src/model/core/state.ts';
import { mapForDma, translateGpfn } from '../../../src/model/core/ops/dmaAddress.ts';
import { mapForeign } from '../../../src/model/core/ops/foreign.ts';
import { makeShadowSet } from '../../../src/model/core/ops/dmaTableOps.ts';
import { grantAccess, mapGrant } from '../../../src/model/core/ops/grants.ts';
import { decreaseReservation, xenAllocPage } from '../../../src/model/core/ops/memory.ts';
import { removeTarget } from '../../../src/model/core/ops/targets.ts';
import { applyOk, initialWorlds, witnesses, world } from '../../helpers/world.ts';

/** dom3 (nobody's client) grants its gfn 0 (mfn 14) to dom2, which maps it at gfn 8. */
function dom2MapsGrantOfDom3(): State {
  const s = world();
  applyOk(s, grantAccess, { granter: 3, ref: 0, grantee: 2, gfn: 0, readonly: false });
  applyOk(s, mapGrant, { grantee: 2, granter: 3, ref: 0, readonly: false, hostGfn: 8, deviceBfn: -1 });
  return s;
}

/** The 2014 lookup's world with dom1's gfn 2 (mfn 8) in the GPU's DMA table slot 0. */
function shadowedRawMfn(): State {
  const s = world(xenTranslateGpfn);
  applyOk(s, makeShadowSet(translateGpfn), { client: 1, slot: 0, gfn: 2 });
  return s;
}

const check = (s: State) => witnesses(noForeignReach, s);

describe('no-foreign-reach holds', () => {
  it('in the initial worlds: each CPU reaches only its own frames', () => {
    for (const s of initialWorlds()) expect(check(s)).toEqual([]);
  });

  it("when a backend reaches its target's frame: a foreign map, a map-for-DMA, a raw MFN while still allocated", () => {
    const s = world();
    applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 0, callerGfn: 9 });
    applyOk(s, makeShadowSet(mapForDma), { client: 2, slot: 0, gfn: 1 });
    expect(check(s)).toEqual([]);
    expect(check(shadowedRawMfn())).toEqual([]);
  });

  it('when a domain reaches a frame through a live grant made out to it', () => {
    expect(check(dom2MapsGrantOfDom3())).toEqual([]);
  });

  it('when the map-for-DMA reference keeps a ballooned-out frame its owner\'s', () => {
    const s = world();
    applyOk(s, makeShadowSet(mapForDma), { client: 1, slot: 0, gfn: 2 });
    applyOk(s, decreaseReservation, { dom: 1, gfn: 2 });
    expect(check(s)).toEqual([]);
  });
});

describe('no-foreign-reach is violated', () => {
  it("when a CPU's p2m maps a frame of a domain it is not privileged for", () => {
    const s = world();
    s.domains[3].p2m[9] = { mfn: 6, type: 'foreign', gen: 1, counted: false, foreign: { dom: 1, gfn: 0 } };
    const [w, ...rest] = check(s);
    expect(rest).toEqual([]);
    expect(w).toEqual({
      reason: 'reaches-foreign-frame',
      principal: { kind: 'cpu', dom: 3 },
      mfn: 6,
      path: [{ via: 'p2m', dom: 3, gfn: 9, type: 'foreign' }, { via: 'foreign', dom: 1, gfn: 0 }],
      frame: { owner: { kind: 'dom', dom: 1 }, gen: 1, refcount: 1 },
    });
    const text = noForeignReach.describe(w);
    expect(text).toContain('dom3 CPU → dom3 p2m gfn 0x9 (foreign)');
    expect(text).toContain('mfn 0x6 (owner dom1, gen 1)');
    expect(text).toContain("dom1 is not dom3's target and granted it nothing");
  });

  it('when the grant it was mapped through is gone', () => {
    const s = dom2MapsGrantOfDom3();
    s.domains[3].grants[0] = null;
    const [w] = check(s);
    expect(w).toMatchObject({ principal: { kind: 'cpu', dom: 2 }, mfn: 14, frame: { owner: { kind: 'dom', dom: 3 } } });
    expect(w.path).toContainEqual({ via: 'grant', granter: 3, ref: 0 });
    expect(noForeignReach.describe(w)).toContain('grant ref 0 of dom3');
  });

  it('when the grant is made out to another domain', () => {
    const s = dom2MapsGrantOfDom3();
    s.domains[3].grants[0]!.grantee = 1;
    expect(check(s)).toEqual([expect.objectContaining({ principal: { kind: 'cpu', dom: 2 }, mfn: 14 })]);
  });

  it("when the live grant on the path is not from the frame's owner, though the owner granted something under that ref", () => {
    const s = dom2MapsGrantOfDom3();
    applyOk(s, grantAccess, { granter: 1, ref: 0, grantee: 2, gfn: 1, readonly: false });
    s.domains[2].p2m[8] = { ...s.domains[2].p2m[8]!, mfn: 6 };
    expect(check(s)).toEqual([expect.objectContaining({ principal: { kind: 'cpu', dom: 2 }, mfn: 6 })]);
  });

  it('when the grant on the path names a reference outside the granter\'s table (and does not throw)', () => {
    const s = dom2MapsGrantOfDom3();
    s.domains[2].p2m[8] = { ...s.domains[2].p2m[8]!, grant: { granter: 3, ref: 99 } };
    expect(check(s)).toEqual([expect.objectContaining({ principal: { kind: 'cpu', dom: 2 }, mfn: 14 })]);
  });

  it('when the GPU reaches a raw MFN its client ballooned out: a free frame', () => {
    const s = shadowedRawMfn();
    applyOk(s, decreaseReservation, { dom: 1, gfn: 2 });
    const [w, ...rest] = check(s);
    expect(rest).toEqual([]);
    expect(w).toMatchObject({
      principal: { kind: 'gpu', dom: 0, client: 1 },
      mfn: 8,
      path: [{ via: 'dmaTable', client: 1, slot: 0, addr: 8 }, { via: 'iommu', bfn: 8, identity: true }],
      frame: { owner: { kind: 'free' }, gen: 1, refcount: 0 },
    });
    const text = noForeignReach.describe(w);
    expect(text).toContain('dom0 GPU (running dom1) → DMA table of dom1 slot 0');
    expect(text).toContain('the frame is free');
  });

  it('when that frame went to Xen', () => {
    const s = shadowedRawMfn();
    applyOk(s, decreaseReservation, { dom: 1, gfn: 2 });
    applyOk(s, xenAllocPage, { mfn: 8 });
    const [w] = check(s);
    expect(w.frame!.owner).toEqual({ kind: 'xen' });
    expect(noForeignReach.describe(w)).toContain("the frame is Xen's");
  });

  it('when the toolstack dropped the client from the target list but the raw MFN stays in the table', () => {
    const s = shadowedRawMfn();
    applyOk(s, removeTarget, { backend: 0, dom: 1 });
    const [w] = check(s);
    expect(w).toMatchObject({ principal: { kind: 'gpu', dom: 0, client: 1 }, mfn: 8, frame: { owner: { kind: 'dom', dom: 1 } } });
    expect(noForeignReach.describe(w)).toContain("dom1 is not dom0's target");
  });

  it('when map-for-DMA skips the target check (checkTarget=false) and maps a non-client', () => {
    const s = world();
    applyOk(s, makeShadowSet(mapForDma), { client: 3, slot: 0, gfn: 1 }, { checkTarget: false });
    const [w] = check(s);
    expect(w).toMatchObject({
      principal: { kind: 'gpu', dom: 0, client: 3 },
      mfn: 15,
      path: [{ via: 'dmaTable', client: 3, addrKind: 'bfn', addr: 0 }, { via: 'iommu', dom: 0, bfn: 0, identity: false }],
    });
    expect(noForeignReach.describe(w)).toContain('dom0 IOMMU bfn 0x0 → mfn 0xf (owner dom3, gen 1)');
  });
});
