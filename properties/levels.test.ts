/**
 * Property suite for Tim Deegan's isolation levels against a compromised XenGT (issue 10, seed 000,
 * 2014-12-11 21:29) and the backend's privilege (issue 17 item 1): what each XenGT design gives, level
 * by level, when the backend lies, when a client reuses a page too early, and when the backend is the
 * control domain. Fixed seeds and run counts.
 */
import { describe, expect, it } from 'vitest';
import { findInvariant } from '../invariants/registry.ts';
import { findDesign } from '../src/model/designs.ts';
import type { Design } from '../src/model/core/design.ts';
import { knobDefaults } from '../src/model/core/design.ts';
import type { KnobValues } from '../src/model/core/op.ts';
import { runCampaign } from '../src/fuzz/campaign.ts';
import { DEFAULT_SCOPE } from '../src/model/core/scope.ts';
import { makeChecker } from '../src/runner/checker.ts';
import { runResolved } from '../src/runner/run.ts';

const L0 = 'level-0-xen-protected';
const L1 = 'level-1-clients-only';
const L2 = 'level-2-clients-isolated';
const L3 = 'level-3-only-what-was-given';
const XENGT = ['xen-translate-gpfn', 'xen-map-for-dma', 'xengt-privsep', 'xengt-grant', 'xengt-shadow-translate', 'xengt-shadow-map'];

function design(id: string): Design {
  return findDesign(id)!;
}

/** One campaign of one invariant: its verdict and, when broken, the shrunk trace. */
function level(id: string, invariant: string, knobs: KnobValues, runs = 500, seed = 1) {
  const d = design(id);
  const r = runCampaign(d, { seed, budget: { runs }, scope: DEFAULT_SCOPE, knobs: { ...knobDefaults(d), ...knobs }, invariants: [findInvariant(invariant)!] });
  return { ...r.verdicts[0], stats: r.stats };
}

const COMPROMISED = { backend: 'compromised' };

describe('xen-translate-gpfn with the backend compromised: levels 0 and 1 fall in at most 2 actions', () => {
  it.each([L0, L1])('%s is broken in <= 2 actions, by a forged DMA table entry', (inv) => {
    const v = level('xen-translate-gpfn', inv, COMPROMISED);
    expect(v.verdict).toBe('violated');
    const cx = v.counterexample!;
    expect(cx.trace.length).toBeLessThanOrEqual(2);
    expect(cx.trace.map((s) => s.action.op)).toContain('forgeDmaEntry');
    expect(cx.violations[0].witnesses[0]).toMatchObject({ role: 'backend', compromised: true });
  });

  it("with Kevin Tian's reading (the 1:1 IOMMU leaves Xen out) level 0 holds; with Tim Deegan's it does not", () => {
    expect(level('xen-translate-gpfn', L0, { ...COMPROMISED, dom0IdentityCoversXen: false }).verdict).toBe('holds');
    expect(level('xen-translate-gpfn', L0, { ...COMPROMISED, dom0IdentityCoversXen: true }).verdict).toBe('violated');
  });
});

describe('xen-map-for-dma with the backend compromised: Xen enforces levels 0 and 1, not 2 and 3', () => {
  it.each([L0, L1])('%s holds over 500 runs from seed 1, though the compromised moves were made', (inv) => {
    const v = level('xen-map-for-dma', inv, COMPROMISED);
    expect(v.verdict).toBe('holds');
    expect(v.runs).toBe(500);
    const sit = v.stats.situations;
    expect(sit['compromised: DMA table entry written'] ?? 0).toBeGreaterThan(0);
    expect(sit['compromised: DMA entry written with an unmapped BFN'] ?? 0).toBeGreaterThan(0);
    expect(sit["compromised: mapped a client's page outside any table"] ?? 0).toBeGreaterThan(0);
    expect(sit['non-target-map-refused'] ?? 0).toBeGreaterThan(0);
  });

  it.each([L2, L3])('%s is broken with a short trace', (inv) => {
    const v = level('xen-map-for-dma', inv, COMPROMISED);
    expect(v.verdict).toBe('violated');
    expect(v.counterexample!.trace.length).toBeLessThanOrEqual(3);
  });

  it('level 2 falls by mapping one client and naming the BFN in the other client\'s table', () => {
    const cx = level('xen-map-for-dma', L2, COMPROMISED).counterexample!;
    const w = cx.violations[0].witnesses[0] as { principal: { client: number }; frame: { owner: { dom: number } } };
    expect(w.principal.client).not.toBe(w.frame.owner.dom);
  });
});

describe('the designs for levels 2 and 3', () => {
  it('xengt-privsep holds level 2 against a compromised emulator (500 runs), and not level 3', () => {
    const v = level('xengt-privsep', L2, COMPROMISED);
    expect(v.verdict).toBe('holds');
    expect(v.stats.situations["compromised: mapped a client's page outside any table"] ?? 0).toBeGreaterThan(0);
    expect(level('xengt-privsep', L3, COMPROMISED).verdict).toBe('violated');
  });

  it.each([{}, COMPROMISED])('xengt-grant holds level 3 (knobs %o, 500 runs)', (knobs) => {
    expect(level('xengt-grant', L3, knobs).verdict).toBe('holds');
  });

  it('xengt-grant does not hold level 2 against a compromised backend (the NIC driver domain of the mail)', () => {
    expect(level('xengt-grant', L2, COMPROMISED, 1000).verdict).toBe('violated');
  });
});

describe('backend privilege: a dom0 (control-domain) backend is limited by nothing', () => {
  it.each(XENGT)('%s: a compromised control-domain backend reaches a non-client in <= 2 actions', (id) => {
    const v = level(id, L1, { ...COMPROMISED, backendPrivilege: 'control-domain' });
    expect(v.verdict).toBe('violated');
    // The shrinker finds 1-2 actions for the flat-table designs; the shadow GTTs' shortest (map dom3's
    // page, forge a GGTT entry naming its BFN) is pinned below as an explicit trace.
    expect(v.counterexample!.trace.length).toBeLessThanOrEqual(id === 'xengt-shadow-map' ? 4 : 2);
    const w = v.counterexample!.violations[0].witnesses[0] as { frame: { owner: { kind: string; dom?: number } } };
    expect(w.frame.owner).toEqual({ kind: 'dom', dom: 3 });
  });

  it('xengt-shadow-map: two actions suffice — dom3\'s page mapped for DMA, its BFN forged into a GGTT slice', () => {
    const d = design('xengt-shadow-map');
    const knobs = { ...knobDefaults(d), ...COMPROMISED, backendPrivilege: 'control-domain' };
    const c = makeChecker(d, knobs, DEFAULT_SCOPE, [findInvariant(L1)!]);
    const o = runResolved(c, [{ op: 'dmaMapAny', dom: 3, gfn: 0 }, { op: 'forgeShadowGgtt', index: 0, gfn: 0, addr: 0 }]).outcome;
    expect(o.kind).toBe('violation');
  });

  it('with a de-privileged backend, xen-map-for-dma holds level 1 (500 runs)', () => {
    expect(level('xen-map-for-dma', L1, { ...COMPROMISED, backendPrivilege: 'device-model' }).verdict).toBe('holds');
  });
});

describe('every level invariant is broken by some setting and held by another', () => {
  const cases: [string, string, KnobValues, string, KnobValues][] = [
    [L0, 'xen-translate-gpfn', COMPROMISED, 'xen-map-for-dma', COMPROMISED],
    [L1, 'xen-map-for-dma', { checkTarget: false }, 'xengt-grant', COMPROMISED],
    [L2, 'xengt-shadow-map', COMPROMISED, 'xengt-privsep', {}],
    [L3, 'xengt-grant', { client: 'compromised' }, 'xengt-grant', {}],
  ];
  it.each(cases)('%s: broken in %s %o, held in %s %o', (inv, bad, badKnobs, good, goodKnobs) => {
    expect(level(bad, inv, badKnobs, 1000).verdict).toBe('violated');
    expect(level(good, inv, goodKnobs).verdict).toBe('holds');
  });
});
