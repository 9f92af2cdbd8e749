import { describe, expect, it } from 'vitest';
import { noXenFrameReach } from '../../../invariants/core/noXenFrameReach.ts';
import { xenTranslateGpfn } from '../../../src/model/core/designs/xenTranslateGpfn.ts';
import type { State } from '../../../src/model/core/state.ts';
import { mapForDma, translateGpfn } from '../../../src/model/core/ops/dmaAddress.ts';
import { makeShadowSet } from '../../../src/model/core/ops/dmaTableOps.ts';
import { decreaseReservation, xenAllocPage } from '../../../src/model/core/ops/memory.ts';
import { applyOk, expectRefused, initialWorlds, witnesses, world } from '../../helpers/world.ts';

const check = (s: State) => witnesses(noXenFrameReach, s);

describe('no-xen-frame-reach holds', () => {
  it("in the initial worlds, although a PV dom0's 1:1 IOMMU covers Xen's frames: only what is programmed is reached", () => {
    for (const s of initialWorlds()) expect(check(s)).toEqual([]);
  });

  it("when map-for-DMA's reference keeps a ballooned-out frame from Xen, which takes another", () => {
    const s = world();
    applyOk(s, makeShadowSet(mapForDma), { client: 1, slot: 0, gfn: 2 });
    applyOk(s, decreaseReservation, { dom: 1, gfn: 2 });
    expectRefused(s, xenAllocPage, { mfn: 8 }, 'ENOMEM');
    applyOk(s, xenAllocPage, { mfn: 18 });
    expect(check(s)).toEqual([]);
  });
});

describe('no-xen-frame-reach is violated', () => {
  it("when a domain's p2m maps one of Xen's frames", () => {
    const s = world();
    s.domains[2].p2m[7] = { mfn: 1, type: 'ram_rw', gen: 1, counted: false };
    const [w, ...rest] = check(s);
    expect(rest).toEqual([]);
    expect(w).toEqual({
      reason: 'reaches-xen-frame',
      principal: { kind: 'cpu', dom: 2 },
      mfn: 1,
      path: [{ via: 'p2m', dom: 2, gfn: 7, type: 'ram_rw' }],
      frame: { owner: { kind: 'xen' }, gen: 1, refcount: 0 },
    });
    expect(noXenFrameReach.describe(w)).toBe(
      "dom2 CPU → dom2 p2m gfn 0x7 (ram_rw) → mfn 0x1 (owner Xen, gen 1): Xen's own frame is reachable",
    );
  });

  it('when the GPU still holds a raw MFN its client ballooned out and Xen took for itself', () => {
    const s = world(xenTranslateGpfn);
    applyOk(s, makeShadowSet(translateGpfn), { client: 1, slot: 3, gfn: 2 });
    applyOk(s, decreaseReservation, { dom: 1, gfn: 2 });
    applyOk(s, xenAllocPage, { mfn: 8 });
    const [w, ...rest] = check(s);
    expect(rest).toEqual([]);
    expect(w).toMatchObject({
      principal: { kind: 'gpu', dom: 0, client: 1 },
      mfn: 8,
      path: [{ via: 'dmaTable', client: 1, slot: 3, gfn: 2, addr: 8, addrKind: 'mfn' }, { via: 'iommu', dom: 0, bfn: 8, identity: true }],
      frame: { owner: { kind: 'xen' }, gen: 2, refcount: 1 },
    });
    const text = noXenFrameReach.describe(w);
    expect(text).toContain('dom0 GPU (running dom1) → DMA table of dom1 slot 3 (gfn 0x2 → mfn 0x8)');
    expect(text).toContain('dom0 IOMMU 1:1 bfn 0x8 → mfn 0x8 (owner Xen, gen 2)');
  });
});
