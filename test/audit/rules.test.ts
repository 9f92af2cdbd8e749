import { describe, expect, it } from 'vitest';
import { CORE_RULES, deriveDesign, knownRules, overrideRules, ruleOf, xenMapForDma } from '../../src/api.ts';
import { findInvariant } from '../../invariants/registry.ts';
import { knobDefaults } from '../../src/model/core/design.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { makeChecker } from '../../src/runner/checker.ts';
import { runResolved } from '../../src/runner/run.ts';
import type { Action } from '../../src/model/core/op.ts';

/** Grant dom1's gfn 0 to dom2, map it, then end access while it is mapped. */
const END_WHILE_MAPPED: Action[] = [
  { op: 'grantAccess', granter: 1, ref: 0, grantee: 2, gfn: 0, readonly: false },
  { op: 'mapGrant', grantee: 2, granter: 1, ref: 0, readonly: false, hostGfn: 8, deviceBfn: -1 },
  { op: 'endAccess', granter: 1, ref: 0 },
];

describe('named rules', () => {
  it('every slice registers its rules under qualified names, each documented', () => {
    expect([...knownRules().keys()].sort()).toEqual(['core.endAccessAllowed', 'core.grantMapCounts', 'gpuShadow.notifiesCpuWrite', 'rmrr.deassignTo', 'virtio.stealRefusal']);
    for (const doc of knownRules().values()) expect(doc.length).toBeGreaterThan(20);
  });

  it('ruleOf answers the default, or the design\'s override from the op context', () => {
    const own = (_s: unknown, _g: unknown, _r: unknown, _e: unknown) => true;
    expect(ruleOf(CORE_RULES, {}, 'endAccessAllowed')).toBe(CORE_RULES.defaults.endAccessAllowed);
    expect(ruleOf(CORE_RULES, { rules: { 'core.endAccessAllowed': own } }, 'endAccessAllowed')).toBe(own);
  });

  it('one overridden rule changes what the op built on it does, and nothing else', () => {
    const lax = deriveDesign(xenMapForDma, { id: 'end-access-any-time', rules: overrideRules(CORE_RULES, { endAccessAllowed: () => true }) });
    expect(lax.ops).toEqual(xenMapForDma.ops);
    expect(lax.title).toContain('rule core.endAccessAllowed');
    const inv = findInvariant('end-access-fails-while-mapped')!;
    const run = (d: typeof lax) => runResolved(makeChecker(d, knobDefaults(d), DEFAULT_SCOPE, [inv]), END_WHILE_MAPPED).outcome;
    const base = run(xenMapForDma as typeof lax);
    expect(base.kind).toBe('ok');
    expect(base.trace[2].result).toEqual({ ok: false, err: 'EBUSY' });
    const o = run(lax);
    expect(o.kind).toBe('violation');
    expect(o.trace[2].result).toEqual({ ok: true });
  });

  it('an unknown rule is refused where the design file is written, naming the rules there are', () => {
    expect(() => overrideRules(CORE_RULES, { endAccess: () => true } as never)).toThrow("overrideRules: core has no rule 'endAccess' (rules: grantMapCounts, endAccessAllowed)");
    expect(() => deriveDesign(xenMapForDma, { id: 'x', rules: { 'core.nope': () => true } })).toThrow(/deriveDesign: no rule 'core\.nope' \(rules: .*core\.grantMapCounts/);
  });

  it('a derived design keeps its baseline\'s overrides and adds its own', () => {
    const a = deriveDesign(xenMapForDma, { id: 'a', rules: overrideRules(CORE_RULES, { endAccessAllowed: () => true }) });
    const b = deriveDesign(a, { id: 'b', rules: overrideRules(CORE_RULES, { grantMapCounts: () => false }) });
    expect(Object.keys(b.rules ?? {}).sort()).toEqual(['core.endAccessAllowed', 'core.grantMapCounts']);
  });
});
