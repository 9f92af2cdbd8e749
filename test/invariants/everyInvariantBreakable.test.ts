/**
 * Every invariant in `list --json` has at least one variant — a built-in design with its defaults or
 * one of its listed knob settings — that is expected to break it, so no invariant is one nothing could
 * ever fail. The expectation itself is held by the campaigns (npm start, the property suites); here a
 * sampled campaign also confirms each invariant's first breaking variant really breaks it.
 */
import { describe, expect, it } from 'vitest';
import { listJson } from '../../src/cli/listCommand.ts';
import { DESIGNS } from '../../src/model/designs.ts';
import { INVARIANTS } from '../../invariants/registry.ts';
import { runCampaign } from '../../src/fuzz/campaign.ts';
import { expectationFor, knobDefaults } from '../../src/model/core/design.ts';
import { xenMapForDma } from '../../src/model/core/designs/xenMapForDma.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';

interface ListedSetting {
  settings: string[];
  knobs: Record<string, string | number | boolean>;
  violated: { invariant: string; why: string }[];
}
interface ListedDesign {
  id: string;
  settings: ListedSetting[];
}

const listed = listJson() as { designs: ListedDesign[]; invariants: { id: string }[] };

/** Invariant id → the listed (design, setting) pairs expected to break it, in listing order. */
function breakers(): Map<string, { design: string; setting: ListedSetting }[]> {
  const out = new Map<string, { design: string; setting: ListedSetting }[]>();
  for (const d of listed.designs) {
    for (const s of d.settings) for (const v of s.violated) out.set(v.invariant, [...(out.get(v.invariant) ?? []), { design: d.id, setting: s }]);
  }
  return out;
}

describe('every invariant is breakable', () => {
  const by = breakers();

  it('list --json names, for every invariant, a design or knob setting expected to break it', () => {
    // iotlb-flushed-before-free's setting is a declared knob run with --set (its deeper traces need more
    // runs than small budgets give); the design's expectation for it is checked here instead.
    const byKnob = expectationFor(xenMapForDma, { ...knobDefaults(xenMapForDma), iotlbFlush: 'batch', freeBeforeFlush: true }, 'iotlb-flushed-before-free');
    expect(byKnob.verdict).toBe('violated');
    const unbroken = listed.invariants.map((i) => i.id).filter((id) => !by.has(id) && id !== 'iotlb-flushed-before-free');
    expect(unbroken).toEqual([]);
    expect(listed.invariants.map((i) => i.id)).toEqual(INVARIANTS.map((i) => i.id));
  });

  // The seed-derived variants this issue added, each really breaking its invariant in a short campaign.
  it.each([
    ['refused-op-changes-nothing', 'xen-map-for-dma', { getPageFirst: true }],
    ['refcounts-match-refs', 'xen-map-for-dma', { checkCollision: false }],
    ['type-ok', 'xen-map-for-dma', { checkCollision: false }],
    ['end-access-fails-while-mapped', 'xen-translate-gpfn', { endAccessChecksMapped: false }],
    ['quota-matches-ownership', 'virtio-gpu-primitives', { stealQuota: false }],
    ['revoke-always-succeeds', 'virtio-gpu-primitives', { revoke: 'wait-for-users' }],
    ['fault-after-revoke', 'virtio-gpu-primitives', { revoke: 'unpopulate' }],
    ['steal-only-exclusive-pages', 'virtio-gpu-primitives', { stealCheck: 'ram-rw-only' }],
    ['no-rmrr-map-without-device', 'rmrr-v2', { unmapOnDeassign: false }],
    ['iotlb-flushed-before-free', 'xen-map-for-dma', { iotlbFlush: 'batch', freeBeforeFlush: true }],
  ] as const)('%s breaks under %s %o, a listed setting', (id, designId, over) => {
    const design = DESIGNS.find((d) => d.id === designId)!;
    const knobs = { ...knobDefaults(design), ...over };
    expect(expectationFor(design, knobs, id).verdict, `${designId} ${JSON.stringify(over)} is expected to break ${id}`).toBe('violated');
    if (id !== 'iotlb-flushed-before-free') {
      const entry = by.get(id)?.find((b) => b.design === designId && Object.entries(over).every(([k, v]) => b.setting.knobs[k] === v));
      expect(entry, `${designId} ${JSON.stringify(over)} is listed as breaking ${id}`).toBeDefined();
    }
    const inv = INVARIANTS.find((i) => i.id === id)!;
    const r = runCampaign(design, { seed: 5, budget: { runs: 400 }, scope: DEFAULT_SCOPE, knobs, invariants: [inv] });
    expect(r.verdicts[0].verdict).toBe('violated');
  });
});
