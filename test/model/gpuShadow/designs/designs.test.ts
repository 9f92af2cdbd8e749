import { describe, expect, it } from 'vitest';
import { INVARIANTS } from '../../../../invariants/registry.ts';
import { GPU_SHADOW_INVARIANT_IDS } from '../../../../src/model/gpuShadow/designs/gpuShadowDesign.ts';
import { kvmgtPageTrack } from '../../../../src/model/gpuShadow/designs/kvmgtPageTrack.ts';
import { DESIGNS, findDesign } from '../../../../src/model/designs.ts';
import { knobDefaults } from '../../../../src/model/core/design.ts';
import { xengtShadowMap } from '../../../../src/model/gpuShadow/designs/xengtShadowMap.ts';
import { xengtShadowTranslate } from '../../../../src/model/gpuShadow/designs/xengtShadowTranslate.ts';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import { listEntryFiles } from '../../../../src/trace/corpusLoad.ts';
import { DEFAULT_CORPUS_DIR } from '../../../../src/trace/corpusSave.ts';

const designs = [kvmgtPageTrack, xengtShadowTranslate, xengtShadowMap];
const violated = (d: typeof kvmgtPageTrack, knobs: Record<string, boolean | number | string> = {}) =>
  Object.entries(d.expect({ ...knobDefaults(d), ...knobs }))
    .filter(([, e]) => e.verdict === 'violated')
    .map(([id]) => id)
    .sort();

describe('the GPU-shadowing designs', () => {
  it('are registered, and name only registered invariants (all five shadowing ones among them)', () => {
    for (const d of designs) {
      expect(findDesign(d.id)).toBe(d);
      for (const id of d.invariants) expect(INVARIANTS.map((i) => i.id)).toContain(id);
      for (const id of GPU_SHADOW_INVARIANT_IDS) expect(d.invariants).toContain(id);
      expect(d.invariants).not.toContain('end-access-fails-while-mapped');
    }
    expect(DESIGNS.slice(0, 2).map((d) => d.id)).toEqual(['xen-translate-gpfn', 'xen-map-for-dma']);
  });

  it('build their worlds: KVM host with identity IOMMU and memslots; XenGT in a PV dom0 or a PVH backend', () => {
    const k = kvmgtPageTrack.buildWorld(DEFAULT_SCOPE, knobDefaults(kvmgtPageTrack));
    expect([k.domains[0].kind, k.pageTrack!.vms[1].memslots.length, k.pageTrack!.counterMax]).toEqual(['pv-dom0', 2, 65535]);
    expect(kvmgtPageTrack.buildWorld(DEFAULT_SCOPE, { ...knobDefaults(kvmgtPageTrack), trackCounterBits: 1 }).pageTrack!.counterMax).toBe(1);
    expect(xengtShadowTranslate.buildWorld(DEFAULT_SCOPE, {}).domains[0].kind).toBe('pv-dom0');
    const m = xengtShadowMap.buildWorld(DEFAULT_SCOPE, {});
    expect([m.domains[0].kind, m.pageTrack!.vms[1].memslots.length]).toEqual(['pvh', 1]);
  });

  it('KVM has memslot updates and no target list; XenGT the reverse', () => {
    const names = (d: typeof kvmgtPageTrack) => d.ops.map((o) => o.name);
    expect(names(kvmgtPageTrack)).toEqual(expect.arrayContaining(['memslotSetFlags', 'memslotMove']));
    expect(names(kvmgtPageTrack)).not.toContain('addTarget');
    expect(names(xengtShadowMap)).toEqual(expect.arrayContaining(['addTarget', 'removeTarget']));
    expect(names(xengtShadowMap)).not.toContain('memslotMove');
    for (const d of designs) expect(new Set(names(d)).size).toBe(names(d).length);
  });

  it('expectations follow the knobs', () => {
    expect(violated(kvmgtPageTrack)).toEqual(['shadow-matches-guest']);
    expect(violated(kvmgtPageTrack, { trackDeviceWrites: true })).toEqual([]);
    expect(violated(kvmgtPageTrack, { auditCommands: false })).toEqual(['gpu-reaches-only-own-vm', 'shadow-matches-guest']);
    expect(violated(kvmgtPageTrack, { trackCounterBits: 1, trackDeviceWrites: true })).toEqual(['track-counts-match', 'tracked-while-shadowed']);
    expect(violated(kvmgtPageTrack, { keepTrackOnSlotUpdate: false, trackDeviceWrites: true })).toEqual(['track-counts-match', 'tracked-while-shadowed']);
    expect(violated(kvmgtPageTrack, { checkGgttPartition: false, trackDeviceWrites: true })).toEqual([
      'ggtt-partition-respected',
      'gpu-reaches-only-own-vm',
      'no-foreign-reach',
      'shadow-matches-guest',
    ]);
    expect(violated(xengtShadowTranslate)).toEqual(['gpu-reaches-only-own-vm', 'level-0-xen-protected', 'level-1-clients-only', 'level-2-clients-isolated', 'level-3-only-what-was-given', 'no-foreign-reach', 'no-stale-reference', 'no-xen-frame-reach', 'shadow-matches-guest']);
    expect(violated(xengtShadowTranslate, { checkGgttPartition: false })).toContain('ggtt-partition-respected');
    expect(violated(xengtShadowMap)).toEqual(['level-3-only-what-was-given', 'shadow-matches-guest']);
    expect(violated(xengtShadowMap, { auditCommands: false })).toEqual(['gpu-reaches-only-own-vm', 'level-2-clients-isolated', 'level-3-only-what-was-given', 'shadow-matches-guest']);
    expect(kvmgtPageTrack.expect(knobDefaults(kvmgtPageTrack))['shadow-matches-guest'].why).toMatch(/emulated device DMAs into a PPGTT page/);
  });
});

describe('the committed corpus', () => {
  it("holds the GPU-shadowing designs' known-bad counterexamples (test/corpus.test.ts replays them)", () => {
    const names = listEntryFiles([DEFAULT_CORPUS_DIR]).files.map((f) => f.replace(/-[0-9a-f]{8}\.json$/, ''));
    expect(names).toEqual(
      expect.arrayContaining([
        'corpus/kvmgt-page-track/shadow-matches-guest',
        'corpus/kvmgt-page-track/gpu-reaches-only-own-vm.auditCommands=false',
        'corpus/kvmgt-page-track/tracked-while-shadowed.trackCounterBits=1',
        'corpus/kvmgt-page-track/tracked-while-shadowed.keepTrackOnSlotUpdate=false',
        'corpus/xengt-shadow-translate/no-stale-reference',
        'corpus/xengt-shadow-translate/gpu-reaches-only-own-vm',
        'corpus/xengt-shadow-map/gpu-reaches-only-own-vm.auditCommands=false',
        'corpus/xengt-shadow-map/ggtt-partition-respected.checkGgttPartition=false',
      ]),
    );
  });
});
