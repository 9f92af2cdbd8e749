import { describe, expect, it } from 'vitest';
import { INVARIANTS } from '../../../../invariants/registry.ts';
import { findDesign } from '../../../../src/model/designs.ts';
import { expectationFor } from '../../../../src/model/core/design.ts';
import { virtioGpuPrimitives } from '../../../../src/model/virtio/designs/virtioGpuPrimitives.ts';
import { knobs } from '../../../fixtures/virtio.ts';

describe('virtio-gpu-primitives', () => {
  it('is registered, names only registered invariants and has unique op names', () => {
    expect(findDesign('virtio-gpu-primitives')).toBe(virtioGpuPrimitives);
    for (const id of virtioGpuPrimitives.invariants) expect(INVARIANTS.some((i) => i.id === id)).toBe(true);
    const names = virtioGpuPrimitives.ops.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('expects every invariant to hold with default knobs', () => {
    expect(virtioGpuPrimitives.expect(knobs())).toEqual({});
  });

  it('expects mapType=ram_rw to break the ram_rw rule, no-foreign-reach and revoke-leaves-no-access, each with a why', () => {
    const e = virtioGpuPrimitives.expect(knobs({ mapType: 'ram_rw' }));
    expect(Object.keys(e).sort()).toEqual(['mapped-pages-never-ram-rw', 'no-foreign-reach', 'revoke-leaves-no-access']);
    for (const x of Object.values(e)) expect(x.why).toMatch(/ram_rw/);
  });

  it('expects onward Map without a transitive Revoke to break revoke-leaves-no-access', () => {
    const k = knobs({ onwardMap: true, transitiveRevoke: false });
    expect(expectationFor(virtioGpuPrimitives, k, 'revoke-leaves-no-access')).toMatchObject({ verdict: 'violated' });
    expect(expectationFor(virtioGpuPrimitives, knobs({ onwardMap: false, transitiveRevoke: false }), 'revoke-leaves-no-access').verdict).toBe('holds');
  });

  it('lists the variants the issue names, each a valid knob setting', () => {
    expect(virtioGpuPrimitives.variants).toContainEqual({ mapType: 'ram_rw' });
    expect(virtioGpuPrimitives.variants).toContainEqual({ onwardMap: true, transitiveRevoke: false });
    for (const v of virtioGpuPrimitives.variants!) {
      for (const [k, value] of Object.entries(v)) expect(virtioGpuPrimitives.knobs[k].values).toContain(value);
    }
  });
});
