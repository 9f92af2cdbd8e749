/**
 * Knobs as one typed configuration per slice: `configOf` gives every knob of a set one of its own
 * values (the default when a run leaves it out), typed from the set written `as const`; and every
 * design declares its knobs with the values its slice's ops understand.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { KnobDef } from '../../../src/model/core/design.ts';
import { configOf } from '../../../src/model/core/design.ts';
import { CORE_KNOBS, coreConfig } from '../../../src/model/core/knobs.ts';
import { IOTLB_KNOBS } from '../../../src/model/core/device/knobs.ts';
import { GPU_SHADOW_KNOBS, gpuShadowConfig } from '../../../src/model/gpuShadow/knobs.ts';
import { IOASID_KNOBS } from '../../../src/model/ioasid/knobs.ts';
import { RMRR_KNOBS, rmrrConfig } from '../../../src/model/rmrr/knobs.ts';
import { VIRTIO_KNOBS, virtioConfig } from '../../../src/model/virtio/knobs.ts';
import { DESIGNS } from '../../../src/model/designs.ts';
import { ADVERSARY_KNOBS, IDENTITY_KNOBS } from '../../../src/model/core/adversary.ts';

describe('configOf', () => {
  it('takes each given value that is one of the knob values, and the default for the rest', () => {
    expect(gpuShadowConfig({ auditCommands: false, trackCounterBits: 1 })).toEqual({
      auditCommands: false,
      checkGgttPartition: true,
      trackDeviceWrites: false,
      trackCounterBits: 1,
      keepTrackOnSlotUpdate: true,
    });
    expect(virtioConfig({ mapType: 'grant_map_rw', onwardMap: 'yes' })).toMatchObject({ mapType: 'mmio_direct', onwardMap: false });
    expect(coreConfig({})).toEqual({ checkTarget: true, backendIommu: 'separate', endAccessChecksMapped: true, getPageFirst: false, checkCollision: true });
  });

  it('is built once per knob-values object, and cannot be changed', () => {
    const knobs = { rmrrConflict: 'warn' };
    const c = rmrrConfig(knobs);
    expect(rmrrConfig(knobs)).toBe(c);
    expect(rmrrConfig({ rmrrConflict: 'warn' })).not.toBe(c);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('is typed from the knob set: each knob its own values, no other knob', () => {
    expectTypeOf(coreConfig({}).checkTarget).toEqualTypeOf<boolean>();
    expectTypeOf(gpuShadowConfig({}).trackCounterBits).toEqualTypeOf<16 | 1>();
    expectTypeOf(rmrrConfig({}).deassignTo).toEqualTypeOf<'quarantine' | 'hwdom'>();
    expectTypeOf(virtioConfig({}).mapType).toEqualTypeOf<'mmio_direct' | 'mmio_dm' | 'ram_rw'>();
    // @ts-expect-error a misspelt knob is a type error, not a silent `undefined`
    void coreConfig({}).chekTarget;
    // @ts-expect-error 'separate' is not a value of deassignTo
    if (rmrrConfig({}).deassignTo === 'separate') throw new Error('unreachable');
    const set = { depth: { description: 'd', values: [1, 2], default: 1 } } as const;
    expectTypeOf(configOf(set, {})).toEqualTypeOf<{ readonly depth: 1 | 2 }>();
  });
});

describe("designs declare their slices' knobs", () => {
  // The adversary knobs (who is compromised, where the backend runs, the disputed identity fact) are the core's too.
  const sliceKnobs: Record<string, KnobDef> = { ...CORE_KNOBS, ...IOTLB_KNOBS, ...ADVERSARY_KNOBS, ...IDENTITY_KNOBS, ...GPU_SHADOW_KNOBS, ...RMRR_KNOBS, ...VIRTIO_KNOBS, ...IOASID_KNOBS };

  it('every design knob is a slice knob, with the same values', () => {
    for (const d of DESIGNS) {
      for (const [name, k] of Object.entries(d.knobs)) {
        expect(sliceKnobs[name], `${d.id}.${name}`).toBeDefined();
        expect([...k.values], `${d.id}.${name}`).toEqual([...sliceKnobs[name].values]);
      }
    }
  });

  it("a design's default differs from what the ops assume only where it says so: onward Maps in virtio-gpu-primitives, per-map accounting in the type1 container", () => {
    const differ = DESIGNS.flatMap((d) => Object.entries(d.knobs).filter(([name, k]) => k.default !== sliceKnobs[name].default).map(([name]) => `${d.id}.${name}`));
    expect(differ).toEqual(['virtio-gpu-primitives.onwardMap', 'vfio-type1-container.accounting']);
  });
});
