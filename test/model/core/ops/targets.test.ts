import { describe, expect, it } from 'vitest';
import { xenTranslateGpfn } from '../../../../src/model/core/designs/xenTranslateGpfn.ts';
import { clonePlain } from '../../../../src/model/core/clone.ts';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import type { State } from '../../../../src/model/core/state.ts';
import { mapForDma, translateGpfn } from '../../../../src/model/core/ops/dmaAddress.ts';
import { destroyDomain } from '../../../../src/model/core/ops/domains.ts';
import { mapForeign } from '../../../../src/model/core/ops/foreign.ts';
import { makeShadowSet } from '../../../../src/model/core/ops/dmaTableOps.ts';
import { grantAccess, mapGrant } from '../../../../src/model/core/ops/grants.ts';
import { addTarget, holdsMappingsOf, removeTarget, setTarget } from '../../../../src/model/core/ops/targets.ts';
import { applyOk, expectRefused, world } from '../../../helpers/world.ts';

const emptyTable = new Array(DEFAULT_SCOPE.dmaSlots).fill(null);

/** The backend dom0 holding a foreign map of its client dom1's gfn 0. */
function mappingDom1(): State {
  const s = world();
  applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 0, callerGfn: 9 });
  return s;
}

describe.each([setTarget, addTarget])('$name checks the pair', (op) => {
  it('refuses a backend or domain that is not running (ESRCH)', () => {
    const s = world();
    expectRefused(s, op, { backend: 4, dom: 3 }, 'ESRCH');
    expectRefused(s, op, { backend: 0, dom: 4 }, 'ESRCH');
  });

  it('refuses making a domain its own target (EINVAL)', () => {
    expectRefused(world(), op, { backend: 3, dom: 3 }, 'EINVAL');
  });
});

describe('setTarget', () => {
  /** The model's re-targeting reading of the list proposal (setTargetOnce=false). */
  const RETARGET = { setTargetOnce: false };

  it("is set-once, as Xen's do_domctl: a domain with a target answers EINVAL, the same target included", () => {
    const s = world();
    applyOk(s, setTarget, { backend: 3, dom: 1 });
    expect(s.domains[3].targets).toEqual([1]);
    expectRefused(s, setTarget, { backend: 3, dom: 2 }, 'EINVAL');
    expectRefused(s, setTarget, { backend: 3, dom: 1 }, 'EINVAL');
    expectRefused(world(), setTarget, { backend: 0, dom: 3 }, 'EINVAL');
  });

  it("re-targeting: makes dom the backend's only target and gives the device model a DMA table for it", () => {
    const s = world();
    applyOk(s, setTarget, { backend: 0, dom: 3 }, RETARGET);
    expect(s.domains[0].targets).toEqual([3]);
    expect(s.gpu.tables[3]).toEqual(emptyTable);
  });

  it('gives no DMA table when the backend is not the GPU backend', () => {
    const s = world();
    applyOk(s, setTarget, { backend: 1, dom: 3 });
    expect(s.domains[1].targets).toEqual([3]);
    expect(s.gpu.tables[3]).toBeUndefined();
  });

  it("re-targeting keeps a target the backend still maps, and the device model's table for it", () => {
    const s = mappingDom1();
    applyOk(s, makeShadowSet(mapForDma), { client: 1, slot: 2, gfn: 1 });
    const table = clonePlain(s.gpu.tables[1]);
    applyOk(s, setTarget, { backend: 0, dom: 1 }, RETARGET);
    expect(s.domains[0].targets).toEqual([1]);
    expect(s.gpu.tables[1]).toEqual(table);
  });

  it('re-targeting is refused while the backend maps a target it would lose (EBUSY)', () => {
    expectRefused(mappingDom1(), setTarget, { backend: 0, dom: 2 }, 'EBUSY', RETARGET);
  });
});

describe('addTarget', () => {
  it('appends dom and gives the device model a DMA table for it', () => {
    const s = world();
    applyOk(s, addTarget, { backend: 0, dom: 3 });
    expect(s.domains[0].targets).toEqual([1, 2, 3]);
    expect(s.gpu.tables[3]).toEqual(emptyTable);
  });

  it('refuses a domain already on the list (EEXIST)', () => {
    expectRefused(world(), addTarget, { backend: 0, dom: 1 }, 'EEXIST');
  });
});

describe('removeTarget', () => {
  it('drops dom from the list', () => {
    const s = world();
    applyOk(s, removeTarget, { backend: 0, dom: 1 });
    expect(s.domains[0].targets).toEqual([2]);
  });

  it('drops a target that has died', () => {
    const s = world();
    applyOk(s, destroyDomain, { dom: 2 });
    applyOk(s, removeTarget, { backend: 0, dom: 2 });
    expect(s.domains[0].targets).toEqual([1]);
  });

  it('refuses while the backend holds a foreign map of dom (EBUSY), noting the refusal', () => {
    const { notes } = expectRefused(mappingDom1(), removeTarget, { backend: 0, dom: 1 }, 'EBUSY');
    expect(notes).toEqual(['remove-target-refused-while-mapped']);
  });

  it('refuses while the backend holds a map-for-DMA entry of dom (EBUSY)', () => {
    const s = world();
    applyOk(s, makeShadowSet(mapForDma), { client: 1, slot: 0, gfn: 0 });
    expectRefused(s, removeTarget, { backend: 0, dom: 1 }, 'EBUSY');
  });

  it('refuses a domain not on the list (ENOENT)', () => {
    expectRefused(world(), removeTarget, { backend: 0, dom: 3 }, 'ENOENT');
  });

  it('refuses a backend that is not running (ESRCH)', () => {
    expectRefused(world(), removeTarget, { backend: 4, dom: 1 }, 'ESRCH');
  });
});

describe('holdsMappingsOf', () => {
  it('sees foreign maps and map-for-DMA IOMMU entries of that domain only', () => {
    const foreign = mappingDom1();
    expect([holdsMappingsOf(foreign, 0, 1), holdsMappingsOf(foreign, 0, 2)]).toEqual([true, false]);
    const dma = world();
    applyOk(dma, makeShadowSet(mapForDma), { client: 2, slot: 0, gfn: 0 });
    expect([holdsMappingsOf(dma, 0, 2), holdsMappingsOf(dma, 0, 1)]).toEqual([true, false]);
  });

  it('does not count grant mappings: they rest on the grant, not on the target privilege', () => {
    const s = world();
    applyOk(s, grantAccess, { granter: 1, ref: 0, grantee: 0, gfn: 0, readonly: false });
    applyOk(s, mapGrant, { grantee: 0, granter: 1, ref: 0, readonly: false, hostGfn: 9, deviceBfn: 2 });
    expect(holdsMappingsOf(s, 0, 1)).toBe(false);
  });

  it("cannot see the raw MFNs of the 2014 lookup, which Xen never hears of again", () => {
    const s = world(xenTranslateGpfn);
    applyOk(s, makeShadowSet(translateGpfn), { client: 1, slot: 0, gfn: 0 });
    expect(holdsMappingsOf(s, 0, 1)).toBe(false);
    applyOk(s, removeTarget, { backend: 0, dom: 1 });
  });
});

describe('target-list resolution', () => {
  it('resolves a running backend and another domain, or nothing', () => {
    for (const op of [setTarget, addTarget, removeTarget]) {
      expect(op.resolve(world(), { backend: 0, dom: 3 }, DEFAULT_SCOPE)).toEqual({ backend: 0, dom: 3 });
      expect(op.resolve(world(), { backend: 0, dom: 0 }, DEFAULT_SCOPE)).toBeNull();
      expect(op.resolve(world(), { backend: 4, dom: 1 }, DEFAULT_SCOPE)).toBeNull();
    }
  });
});
