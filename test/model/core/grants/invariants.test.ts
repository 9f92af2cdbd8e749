/**
 * The grant invariants against the xen-grant-backend design: all of them hold in the sound baseline
 * over a fixed-seed campaign that reaches every pin kind and both partial unmaps, and each broken
 * handler (the grantHandler knob) or skipped teardown (releaseOnDeath) breaks the invariant it is
 * listed against — found by a campaign, and shown on a hand-built state.
 */
import { describe, expect, it } from 'vitest';
import { INVARIANTS } from '../../../../invariants/registry.ts';
import { grantMaptrackAccounting } from '../../../../invariants/core/grantMaptrackAccounting.ts';
import { grantPinsMatchMappings } from '../../../../invariants/core/grantPinsMatchMappings.ts';
import { noForeignReach } from '../../../../invariants/core/noForeignReach.ts';
import { writableMappingHoldsTypeRef } from '../../../../invariants/core/writableMappingHoldsTypeRef.ts';
import type { StateInvariant } from '../../../../invariants/types.ts';
import { runCampaign } from '../../../../src/fuzz/campaign.ts';
import { expectationFor, knobDefaults } from '../../../../src/model/core/design.ts';
import { xenGrantBackend } from '../../../../src/model/core/designs/xenGrantBackend.ts';
import { GRANT_RULES } from '../../../../src/model/core/grantRules.ts';
import { overrideRules } from '../../../../src/model/core/ruleSet.ts';
import { endAccess, grantAccess, mapGrant, unmapGrant } from '../../../../src/model/core/ops/grants.ts';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import type { State } from '../../../../src/model/core/state.ts';
import { applyOk, ctx, witnesses, world } from '../../../helpers/world.ts';

const GRANT_IDS = ['grant-pins-match-mappings', 'writable-mapping-holds-type-ref', 'grant-maptrack-accounting', 'clients-survive-backend-crash'];

/** dom2 grants gfn 1 read-write to the driver domain dom1, which maps both halves (handle 0). */
function mapped(knobs = {}): State {
  const s = world(xenGrantBackend, knobs);
  applyOk(s, grantAccess, { granter: 2, ref: 0, grantee: 1, gfn: 1, readonly: false }, knobs);
  applyOk(s, mapGrant, { grantee: 1, granter: 2, ref: 0, readonly: false, hostGfn: 8, deviceBfn: 0 }, knobs);
  return s;
}

describe('the grant invariants in the sound baseline', () => {
  it('all hold over 300 runs of seed 11, with every pin kind and both partial unmaps reached', () => {
    const invariants = INVARIANTS.filter((i) => xenGrantBackend.invariants.includes(i.id));
    expect(invariants.map((i) => i.id)).toEqual(expect.arrayContaining(GRANT_IDS));
    const r = runCampaign(xenGrantBackend, { seed: 11, budget: { runs: 300 }, scope: DEFAULT_SCOPE, knobs: knobDefaults(xenGrantBackend), invariants });
    expect(r.verdicts.filter((v) => v.verdict !== 'holds').map((v) => v.invariant)).toEqual([]);
    const seen = r.stats.situations;
    for (const k of ['grant-pin-hostRw', 'grant-pin-hostRo', 'grant-pin-devRw', 'grant-pin-devRo', 'grant-partial-unmap-host-only', 'grant-partial-unmap-device-only', 'grant-unmap-last-half', 'driver-domain-backend-crashed', 'client-grant-unpinned-by-backend-crash']) {
      expect(seen[k] ?? 0, k).toBeGreaterThan(0);
    }
  });

  it('hold after a partial unmap, host half first then device half, at every step', () => {
    const s = mapped();
    const all: StateInvariant[] = [grantPinsMatchMappings, writableMappingHoldsTypeRef, grantMaptrackAccounting];
    for (const inv of all) expect(witnesses(inv, s), inv.id).toEqual([]);
    applyOk(s, unmapGrant, { grantee: 1, handle: 0, host: true, device: false });
    for (const inv of all) expect(witnesses(inv, s), inv.id).toEqual([]);
    applyOk(s, unmapGrant, { grantee: 1, handle: 0, host: false, device: true });
    for (const inv of all) expect(witnesses(inv, s), inv.id).toEqual([]);
  });
});

describe('each broken grant handler breaks its invariant', () => {
  it.each([
    ['grant-pins-match-mappings', { grantHandler: 'device-half-unpinned' }],
    ['grant-pins-match-mappings', { grantHandler: 'unmap-unpins-host-counter' }],
    ['writable-mapping-holds-type-ref', { grantHandler: 'no-writable-type-ref' }],
    ['grant-maptrack-accounting', { grantHandler: 'handle-freed-at-first-half' }],
    ['clients-survive-backend-crash', { releaseOnDeath: 'host-halves-only' }],
  ] as const)('%s breaks under %o, a listed variant, in a 300-run campaign', (id, over) => {
    const knobs = { ...knobDefaults(xenGrantBackend), ...over };
    expect(xenGrantBackend.variants).toContainEqual(over);
    expect(expectationFor(xenGrantBackend, knobs, id).verdict).toBe('violated');
    const r = runCampaign(xenGrantBackend, { seed: 5, budget: { runs: 300 }, scope: DEFAULT_SCOPE, knobs, invariants: INVARIANTS.filter((i) => i.id === id) });
    expect(r.verdicts[0].verdict).toBe('violated');
  });

  it('device-half-unpinned: a device half with no GNTPIN_devw pin', () => {
    const s = mapped({ grantHandler: 'device-half-unpinned' });
    expect(witnesses(grantPinsMatchMappings, s).map((w) => [w.reason, w.expected, w.actual])).toEqual([
      ['pins-differ-from-mappings', 'hostRw=1 hostRo=0 devRw=1 devRo=0', 'hostRw=1 hostRo=0 devRw=0 devRo=0'],
    ]);
  });

  it('no-writable-type-ref: a writable device half without its PGT_writable_page reference', () => {
    const s = mapped({ grantHandler: 'no-writable-type-ref' });
    expect(witnesses(writableMappingHoldsTypeRef, s)).toMatchObject([{ reason: 'writable-mapping-without-type-ref', expected: 1, actual: 0 }]);
  });

  it('handle-freed-at-first-half: the device half is orphaned, and the granter ends access under it', () => {
    const knobs = { grantHandler: 'handle-freed-at-first-half' };
    const s = mapped(knobs);
    applyOk(s, unmapGrant, { grantee: 1, handle: 0, host: true, device: false }, knobs);
    expect(s.domains[1].maptrack).toEqual([null]);
    expect(witnesses(grantMaptrackAccounting, s).map((w) => w.reason)).toEqual(['grant-mapping-without-handle', 'pinned-without-handle']);
    applyOk(s, endAccess, { granter: 2, ref: 0 }, knobs);
    expect(s.domains[1].iommu[0]).not.toBeNull();
    expect(witnesses(noForeignReach, s)).toEqual([]); // the orphan is a device half, not a CPU mapping: reach goes through the GPU/devices only
  });

  it('a design file overrides one rule by name, and mapGrant follows it', () => {
    const s = world(xenGrantBackend);
    applyOk(s, grantAccess, { granter: 2, ref: 0, grantee: 1, gfn: 1, readonly: false });
    const c = { ...ctx(), rules: overrideRules(GRANT_RULES, { grantTakesTypeRef: () => true }) };
    expect(mapGrant.apply(s, { grantee: 1, granter: 2, ref: 0, readonly: true, hostGfn: 8, deviceBfn: -1 }, c).ok).toBe(true);
    expect(s.frames[s.domains[2].p2m[1]!.mfn].typeCount).toBe(1);
    expect(witnesses(writableMappingHoldsTypeRef, s).map((w) => w.reason)).toEqual(['type-ref-without-writable-mapping']);
  });
});
