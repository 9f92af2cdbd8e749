import { describe, expect, it } from 'vitest';
import { fuzzDesign } from '../../src/fuzz/fuzzDesign.ts';
import { expectationFor, knobDefaults } from '../../src/model/core/design.ts';
import { INTERLEAVED } from '../../src/model/core/phase.ts';
import { findDesign } from '../../src/model/designs.ts';

/**
 * Sound designs with phase-split handlers still hold every invariant they name that their atomic
 * baseline holds — over campaigns in
 * which continuations really did resume after other principals' actions (the counters say so).
 */
describe('sound phase-split designs hold every invariant', () => {
  it.each([
    ['xen-preemptible', { relinquishGuard: 'dying-first' }, ['decrease-reservation-continued', 'batched-map-continued']],
    ['xen-preemptible', { relinquishGuard: 'p2m-lock' }, []],
    ['kvmgt-track-race', { trackWriteLookup: 'in-notifier', trackDeviceWrites: true, vmmRemoval: 'drop-shadows' }, ['tracked-pt-page-written-by-cpu']],
    ['kvmgt-track-race', { trackWriteLookup: 'lock-held', trackDeviceWrites: true, vmmRemoval: 'drop-shadows' }, []],
  ] as const)('%s %o', (id, knobs, situations) => {
    const design = findDesign(id)!;
    const r = fuzzDesign(design, { seed: 2, runs: 200, knobs });
    expect(r.unexpected).toEqual([]);
    // Every verdict holds but the ones the atomic baseline is already known to break (level 3 for map-for-DMA).
    const all = { ...knobDefaults(design), ...knobs };
    const broken = r.verdicts.filter((v) => v.verdict !== 'holds').map((v) => v.invariant);
    expect(broken.filter((inv) => expectationFor(design, all, inv).verdict !== 'violated')).toEqual([]);
    const baseline = findDesign(id === 'xen-preemptible' ? 'xen-map-for-dma' : 'kvmgt-page-track')!;
    for (const inv of broken) expect(expectationFor(baseline, { ...knobDefaults(baseline), ...knobs }, inv).verdict, inv).toBe('violated');
    expect(r.verdicts.length - broken.length).toBeGreaterThan(8);
    expect(r.stats.situations[INTERLEAVED] ?? 0).toBeGreaterThan(20);
    for (const s of situations) expect(r.stats.situations[s] ?? 0, s).toBeGreaterThan(0);
  });

  it('the lock stated as data is what keeps p2m-lock sound: the same campaign with the lock ignored breaks', () => {
    // relinquishGuard=p2m-lock leaves the domain running; only the scheduler's refusal keeps its
    // p2m unchanged. The 'none' guard is exactly that design minus the held lock.
    const r = fuzzDesign(findDesign('xen-preemptible')!, { seed: 2, runs: 300, knobs: { relinquishGuard: 'none' }, invariants: ['relinquished-domain-holds-nothing'] });
    expect(r.verdicts[0].verdict).toBe('violated');
  });
});
