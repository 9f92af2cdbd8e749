import { describe, expect, it } from 'vitest';
import { deriveDesign } from '../../../src/model/core/deriveDesign.ts';
import { xenMapForDma } from '../../../src/model/core/designs/xenMapForDma.ts';
import { DEFAULT_SCOPE } from '../../../src/model/core/scope.ts';
import { buildWorld } from '../../../src/model/core/world.ts';
import { translateGpfn } from '../../../src/model/core/ops/dmaAddress.ts';
import { makeShadowSet } from '../../../src/model/core/ops/dmaTableOps.ts';
import { gpuDma } from '../../../src/model/core/ops/dmaTableOps.ts';

describe('deriveDesign', () => {
  it('keeps everything not overridden, and records the baseline', () => {
    const d = deriveDesign(xenMapForDma, { id: 'copy' });
    expect(d.baseline).toBe('xen-map-for-dma');
    expect(d.ops).toEqual(xenMapForDma.ops);
    expect(d.knobs).toEqual(xenMapForDma.knobs);
    expect(d.invariants).toBe(xenMapForDma.invariants);
    expect(d.buildWorld).toBe(xenMapForDma.buildWorld);
    expect(d.title).toMatch(/with no change$/);
  });

  it('replaces ops by name in place, adds new ones last, removes with null', () => {
    const shadowSet = makeShadowSet(translateGpfn);
    const extra = { ...gpuDma, name: 'gpuDmaAgain' };
    const d = deriveDesign(xenMapForDma, { id: 'x', ops: { shadowSet, gpuDmaAgain: extra, shadowClear: null } });
    const names = d.ops.map((o) => o.name);
    expect(names.indexOf('shadowSet')).toBe(xenMapForDma.ops.findIndex((o) => o.name === 'shadowSet'));
    expect(d.ops.find((o) => o.name === 'shadowSet')).toBe(shadowSet);
    expect(names.at(-1)).toBe('gpuDmaAgain');
    expect(names).not.toContain('shadowClear');
    expect(d.title).toMatch(/with op shadowSet, op gpuDmaAgain, op shadowClear$/);
  });

  it('changes knob defaults, keeping the knob definitions', () => {
    const d = deriveDesign(xenMapForDma, { id: 'x', knobs: { checkTarget: false } });
    expect(d.knobs.checkTarget.default).toBe(false);
    expect(d.knobs.checkTarget.values).toEqual([true, false]);
    expect(xenMapForDma.knobs.checkTarget.default).toBe(true);
  });

  it('changes the world when told', () => {
    const d = deriveDesign(xenMapForDma, { id: 'x', buildWorld: (scope) => buildWorld(scope, { backendKind: 'pv-dom0', clients: [1] }) });
    expect(d.buildWorld(DEFAULT_SCOPE, {}).domains[0].kind).toBe('pv-dom0');
    expect(xenMapForDma.buildWorld(DEFAULT_SCOPE, {}).domains[0].kind).toBe('pvh');
  });

  it.each([
    [{ id: 'xen-map-for-dma' }, /needs its own id/],
    [{ id: 'x', knobs: { checkTargets: false } }, /has no knob 'checkTargets'/],
    [{ id: 'x', knobs: { checkTarget: 'no' } }, /takes true \| false, not "no"/],
    [{ id: 'x', ops: { shadowSet: gpuDma } }, /ops.shadowSet is an op named 'gpuDma'/],
    [{ id: 'x', ops: { nope: null } }, /cannot remove op 'nope'/],
  ])('refuses a change that cannot be: %j', (change, message) => {
    expect(() => deriveDesign(xenMapForDma, change as never)).toThrow(message);
  });
});
