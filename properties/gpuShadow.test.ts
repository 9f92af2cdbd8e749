/**
 * Property suite for GPU shadowing (issue 6; seeds 000 and 002): KVMGT's page tracking keeps every
 * security invariant and loses only coherence, to emulated DMA into a PPGTT page; XenGT shadows filled
 * by the raw lookup lose Tim Deegan's ballooning race through a shadow entry; XenGT shadows filled by
 * map-for-DMA hold; turning the device model's audit off breaks level 2. Fixed seeds and run counts.
 */
import type { Hop } from '../src/model/core/path.ts';
import type { ShadowGgttHop, ShadowPpgttHop } from '../src/model/gpuShadow/hops.ts';
import { describe, expect, it } from 'vitest';
import { findInvariant, INVARIANTS } from '../invariants/registry.ts';
import type { Witness } from '../invariants/types.ts';
import { kvmgtPageTrack } from '../src/model/gpuShadow/designs/kvmgtPageTrack.ts';
import type { Design } from '../src/model/core/design.ts';
import { expectationFor, knobDefaults } from '../src/model/core/design.ts';
import { xengtShadowMap } from '../src/model/gpuShadow/designs/xengtShadowMap.ts';
import { xengtShadowTranslate } from '../src/model/gpuShadow/designs/xengtShadowTranslate.ts';
import type { CampaignResult, Counterexample } from '../src/fuzz/campaign.ts';
import { runCampaign } from '../src/fuzz/campaign.ts';
import { DEFAULT_SCOPE } from '../src/model/core/scope.ts';
import type { KnobValues } from '../src/model/core/op.ts';

const SEED = 1;
const RUNS = 200;
const SECURITY = INVARIANTS.filter((i) => i.category === 'security').map((i) => i.id);

const memo = new Map<string, CampaignResult>();

/** A campaign over every invariant of the design (memoised: several tests read the same one). */
function campaign(design: Design, knobs: KnobValues = {}, runs = RUNS, seed = SEED): CampaignResult {
  const all = { ...knobDefaults(design), ...knobs };
  const key = JSON.stringify([design.id, all, runs, seed]);
  let r = memo.get(key);
  if (r === undefined) {
    r = runCampaign(design, { seed, budget: { runs }, scope: DEFAULT_SCOPE, knobs: all, invariants: INVARIANTS.filter((i) => design.invariants.includes(i.id)) });
    memo.set(key, r);
  }
  return r;
}

/** The shrunk counterexample for one invariant of a campaign (fails the test when there is none). */
function counterexample(r: CampaignResult, invariant: string): Counterexample {
  const v = r.verdicts.find((x) => x.invariant === invariant)!;
  expect(v.verdict).toBe('violated');
  return v.counterexample!;
}

/** The witnesses of one invariant at the violating step. */
function witnesses(cx: Counterexample, invariant: string): Witness[] {
  return cx.violations.find((v) => v.invariant === invariant)!.witnesses;
}

/** A design with some operations left out: isolates one path to a violation. */
function without(design: Design, ops: string[]): Design {
  return { ...design, id: `${design.id}-without-${ops.join('-')}`, ops: design.ops.filter((o) => !ops.includes(o.name)) };
}

const ops = (cx: Counterexample) => cx.trace.map((s) => s.action.op);

describe('kvmgt-page-track: the thread\'s design', () => {
  it(`keeps every security invariant over ${RUNS} runs, having reached the risky situations`, () => {
    const r = campaign(kvmgtPageTrack);
    expect(r.stats.runs).toBeGreaterThanOrEqual(RUNS);
    expect(r.stats.steps).toBeGreaterThan(3000);
    for (const id of SECURITY.filter((i) => kvmgtPageTrack.invariants.includes(i))) {
      expect([id, r.verdicts.find((v) => v.invariant === id)!.verdict]).toEqual([id, 'holds']);
    }
    expect(r.verdicts.find((v) => v.invariant === 'track-counts-match')!.verdict).toBe('holds');
    const s = r.stats.situations;
    for (const situation of [
      'tracked-pt-page-written-by-cpu',
      'emulated-dma-into-pt-page',
      'gpu-context-switch',
      'pt-page-ballooned-while-shadowed',
      'pt-page-reused-while-shadowed',
      'shadowed-page-ballooned',
      'memslot-moved-under-tracking',
      'memslot-flags-changed-under-tracking',
      'command-outside-partition-refused',
    ]) {
      expect([situation, s[situation] ?? 0]).toEqual([situation, expect.any(Number)]);
      expect(s[situation], situation).toBeGreaterThan(0);
    }
  });

  it('breaks shadow-matches-guest — functional — by an emulated device writing a PPGTT page, in at most 4 actions', () => {
    const cx = counterexample(campaign(kvmgtPageTrack), 'shadow-matches-guest');
    expect(findInvariant('shadow-matches-guest')!.category).toBe('functional');
    expect(cx.trace.length).toBeLessThanOrEqual(4);
    const dma = cx.trace[cx.step].action;
    expect(dma.op).toBe('deviceDmaWrite');
    expect(ops(cx)).toContain('ppgttCreate');
    // The page the device wrote is a page-table page the shadow mirrors; its entry no longer matches.
    const w = witnesses(cx, 'shadow-matches-guest')[0];
    expect(w.holder).toMatchObject({ via: 'shadowPpgtt', owner: dma.dom });
    expect(w.dom).toBe(dma.dom);
  });

  it(`with trackDeviceWrites=true every invariant holds over ${RUNS} runs, emulated DMA into PT pages included`, () => {
    const r = campaign(kvmgtPageTrack, { trackDeviceWrites: true });
    expect(r.verdicts.filter((v) => v.verdict !== 'holds')).toEqual([]);
    expect(r.stats.steps).toBeGreaterThan(3000);
    expect(r.stats.situations['emulated-dma-into-pt-page']).toBeGreaterThan(0);
    expect(r.stats.situations['pt-page-ballooned-while-shadowed']).toBeGreaterThan(0);
  });

  it('with 1-bit counters the width limit is reached: the count drifts, then a shadowed page goes untracked', () => {
    const r = campaign(kvmgtPageTrack, { trackCounterBits: 1 });
    expect(r.stats.situations['track-counter-at-width-limit']).toBeGreaterThan(0);
    const counts = counterexample(r, 'track-counts-match');
    expect(counts.trace.length).toBeLessThanOrEqual(3);
    expect(counts.trace[counts.step].warnings?.[0]).toMatch(/WARN_ON/);
    const untracked = counterexample(r, 'tracked-while-shadowed');
    expect(untracked.trace.length).toBeLessThanOrEqual(4);
    expect(witnesses(untracked, 'tracked-while-shadowed')[0].reason).toBe('mirrored-page-untracked');
  });

  it('v1 memslots (keepTrackOnSlotUpdate=false): a flags change under a live shadow loses its tracking', () => {
    const cx = counterexample(campaign(kvmgtPageTrack, { keepTrackOnSlotUpdate: false }), 'tracked-while-shadowed');
    expect(cx.trace.length).toBeLessThanOrEqual(3);
    expect(cx.trace[cx.step].action.op).toBe('memslotSetFlags');
  });

  it("without the command audit, the GPU running one VM reaches another VM's page", () => {
    const cx = counterexample(campaign(kvmgtPageTrack, { auditCommands: false }), 'gpu-reaches-only-own-vm');
    expect(cx.trace.length).toBeLessThanOrEqual(3);
    expect(ops(cx).slice().sort()).toEqual(['ggttWrite', 'gpuContextSwitch', 'submitCommand']);
    const w = witnesses(cx, 'gpu-reaches-only-own-vm')[0];
    expect(w.path!.map((h) => h.via)).toEqual(['gpuCommand', 'shadowGgtt', 'iommu']);
    expect(w.frame!.owner).toEqual({ kind: 'dom', dom: cx.trace.find((s) => s.action.op === 'ggttWrite')!.action.dom });
  });
});

/** Whether a hop is through a shadow GGTT or PPGTT entry, which names the client GFN it translates. */
function isShadowHop(h: Hop): h is ShadowGgttHop | ShadowPpgttHop {
  return h.via === 'shadowPpgtt' || h.via === 'shadowGgtt';
}

/** The race: a shadow entry translates (dom, gfn); the guest balloons that gfn out; the witness names it. */
function expectBalloonedPageStillNamed(cx: Counterexample, invariant: string): void {
  expect(cx.trace.length).toBeLessThanOrEqual(6);
  const balloon = cx.trace.find((s) => s.action.op === 'decreaseReservation')!.action;
  const w = witnesses(cx, invariant)[0];
  const hop = invariant === 'no-stale-reference' ? w.holder! : w.path!.find(isShadowHop)!;
  expect(hop.via).toMatch(/^shadow(Ggtt|Ppgtt)$/);
  if (isShadowHop(hop)) expect([hop.client, hop.gfn]).toEqual([balloon.dom, balloon.gfn]);
}

describe('xengt-shadow-translate: shadows filled by the 2014 raw lookup', () => {
  it.each(['no-stale-reference', 'gpu-reaches-only-own-vm'])('breaks %s through a ballooned-out page a shadow entry still names, in at most 6 actions', (invariant) => {
    expectBalloonedPageStillNamed(counterexample(campaign(xengtShadowTranslate), invariant), invariant);
  });

  it.each(['no-stale-reference', 'gpu-reaches-only-own-vm'])('breaks %s through a shadow PPGTT entry (GGTT writes left out), in at most 6 actions', (invariant) => {
    const cx = counterexample(campaign(without(xengtShadowTranslate, ['ggttWrite'])), invariant);
    expectBalloonedPageStillNamed(cx, invariant);
    expect(ops(cx)).toContain('ppgttCreate');
    const w = witnesses(cx, invariant)[0];
    expect(invariant === 'no-stale-reference' ? w.holder!.via : w.path![0].via).toBe('shadowPpgtt');
    if (invariant === 'gpu-reaches-only-own-vm') expect(w.principal).toMatchObject({ kind: 'gpu', client: cx.trace.find((s) => s.action.op === 'decreaseReservation')!.action.dom });
  });

  it('with auditCommands=false gpu-reaches-only-own-vm breaks through an unaudited command too (ballooning left out)', () => {
    const r = campaign(xengtShadowTranslate, { auditCommands: false });
    expect(r.verdicts.find((v) => v.invariant === 'gpu-reaches-only-own-vm')!.verdict).toBe('violated');
    const cx = counterexample(campaign(without(xengtShadowTranslate, ['decreaseReservation', 'destroyDomain', 'removeTarget']), { auditCommands: false }), 'gpu-reaches-only-own-vm');
    expect(witnesses(cx, 'gpu-reaches-only-own-vm')[0].path![0].via).toBe('gpuCommand');
  });
});

describe('xengt-shadow-map: shadows filled by map-for-DMA', () => {
  it(`keeps every security invariant over ${RUNS} runs, having reached the risky situations`, () => {
    const r = campaign(xengtShadowMap);
    // Level 3 is trusted to XenGT (properties/levels.test.ts): not one Xen's map-for-DMA can keep.
    for (const id of SECURITY.filter((i) => xengtShadowMap.invariants.includes(i) && i !== 'level-3-only-what-was-given')) {
      expect([id, r.verdicts.find((v) => v.invariant === id)!.verdict]).toEqual([id, 'holds']);
    }
    expect(r.stats.steps).toBeGreaterThan(3000);
    for (const situation of ['shadowed-page-ballooned', 'mapped-or-shadowed-gfn-ballooned', 'freed-frame-reallocated', 'pt-page-ballooned-while-shadowed', 'gpu-context-switch', 'tracked-pt-page-written-by-cpu', 'remove-target-refused-while-mapped']) {
      expect(r.stats.situations[situation], situation).toBeGreaterThan(0);
    }
    expect(counterexample(r, 'shadow-matches-guest').trace.length).toBeLessThanOrEqual(4);
  });

  it("without the GGTT partition check, one VM's write lands in another's slice: one action", () => {
    const cx = counterexample(campaign(xengtShadowMap, { checkGgttPartition: false }), 'ggtt-partition-respected');
    expect(cx.trace.map((s) => s.action.op)).toEqual(['ggttWrite']);
  });
});

describe('every verdict is the one its design expects, for each notable knob setting', () => {
  // The adversary settings and the level invariants have their own suite (properties/levels.test.ts),
  // at the run counts they need; `npm start` checks every one of their verdicts at the default budget.
  const notAdversary = (v: KnobValues) => !['backend', 'client', 'nonClient', 'backendPrivilege'].some((k) => k in v);
  const settings: [Design, KnobValues][] = [kvmgtPageTrack, xengtShadowTranslate, xengtShadowMap].flatMap((d) => [[d, {}] as [Design, KnobValues], ...(d.variants ?? []).filter(notAdversary).map((v) => [d, v] as [Design, KnobValues])]);
  it.each(settings.map(([d, k]) => [d.id, JSON.stringify(k), d, k] as const))('%s %s', (_id, _k, design, knobs) => {
    const r = campaign(design, knobs);
    const all = { ...knobDefaults(design), ...knobs };
    const verdicts = r.verdicts.filter((v) => !v.invariant.startsWith('level-'));
    expect(verdicts.map((v) => [v.invariant, v.verdict])).toEqual(verdicts.map((v) => [v.invariant, expectationFor(design, all, v.invariant).verdict]));
  });
});

describe('determinism', () => {
  it('same seed, same verdicts and same traces', () => {
    const a = runCampaign(kvmgtPageTrack, { seed: 9, budget: { runs: 100 }, scope: DEFAULT_SCOPE, knobs: knobDefaults(kvmgtPageTrack), invariants: [findInvariant('shadow-matches-guest')!] });
    const b = runCampaign(kvmgtPageTrack, { seed: 9, budget: { runs: 100 }, scope: DEFAULT_SCOPE, knobs: knobDefaults(kvmgtPageTrack), invariants: [findInvariant('shadow-matches-guest')!] });
    const untimed = (r: CampaignResult) => JSON.stringify(r.verdicts.map(({ msToFirstFailure: _, ...v }) => v));
    expect(untimed(b)).toBe(untimed(a));
    expect(JSON.stringify(b.stats)).toBe(JSON.stringify(a.stats));
  });
});
