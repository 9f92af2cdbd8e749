/**
 * The level invariants on explicit traces: the reuse Tim Deegan's level 3 is about (a client puts
 * private data in a page whose grant could not be ended, while the backend keeps its mapping), the
 * witness naming principal, compromise and intent, and the compromised moves that exist only in a
 * world whose principal is compromised.
 */
import { describe, expect, it } from 'vitest';
import { INVARIANTS } from '../../../invariants/registry.ts';
import { findDesign } from '../../../src/model/designs.ts';
import type { Design } from '../../../src/model/core/design.ts';
import { knobDefaults } from '../../../src/model/core/design.ts';
import type { Action, KnobValues } from '../../../src/model/core/op.ts';
import { DEFAULT_SCOPE } from '../../../src/model/core/scope.ts';
import { makeChecker } from '../../../src/runner/checker.ts';
import { runResolved } from '../../../src/runner/run.ts';

function run(id: string, knobs: KnobValues, actions: Action[]) {
  const d: Design = findDesign(id)!;
  const c = makeChecker(d, { ...knobDefaults(d), ...knobs }, DEFAULT_SCOPE, INVARIANTS.filter((i) => d.invariants.includes(i.id)));
  return runResolved(c, actions).outcome;
}

/** The client grants its page 0 to the backend, the device model maps it into its DMA table, the client cannot end the grant. */
const GRANTED_AND_MAPPED: Action[] = [
  { op: 'grantAccess', granter: 1, ref: 0, grantee: 0, gfn: 0, readonly: false },
  { op: 'grantShadowSet', client: 1, slot: 0, ref: 0 },
  { op: 'endAccess', granter: 1, ref: 0 },
];

describe('level 3: a page reused for private data while its grant is still mapped', () => {
  it('is caught when the backend keeps the mapping, and the trace shows the reuse', () => {
    const o = run('xengt-grant', { client: 'compromised' }, [...GRANTED_AND_MAPPED, { op: 'reuseStillGiven', dom: 1, gfn: 0 }]);
    expect(o.kind).toBe('violation');
    if (o.kind !== 'violation') return;
    expect(o.trace.map((s) => s.result.ok)).toEqual([true, true, false, true]);
    expect(o.trace[2].result).toEqual({ ok: false, err: 'EBUSY' });
    expect(o.step).toBe(3);
    expect(o.violations.map((v) => v.invariant)).toEqual(['level-3-only-what-was-given']);
    expect(o.violations[0].witnesses[0]).toMatchObject({
      principal: { kind: 'gpu', dom: 0, client: 1 },
      role: 'backend',
      compromised: false,
      intent: 'private',
      frame: { owner: { kind: 'dom', dom: 1 } },
    });
  });

  it('holds up to the reuse: the same grant, mapped and still given, is no finding', () => {
    expect(run('xengt-grant', { client: 'compromised' }, GRANTED_AND_MAPPED).kind).toBe('ok');
  });

  it('holds when the device model lets go first: unmapped, the grant ends and the page is private again', () => {
    const o = run('xengt-grant', {}, [
      ...GRANTED_AND_MAPPED.slice(0, 2),
      { op: 'grantShadowClear', client: 1, slot: 0 },
      { op: 'endAccess', granter: 1, ref: 0 },
    ]);
    expect(o.kind).toBe('ok');
  });

  it('a correct client has no reuse move: the op is refused and changes nothing', () => {
    const o = run('xengt-grant', {}, [...GRANTED_AND_MAPPED, { op: 'reuseStillGiven', dom: 1, gfn: 0 }]);
    expect(o.kind).toBe('ok');
    if (o.kind === 'ok') expect(o.trace[3].result).toEqual({ ok: false, err: 'EPERM' });
  });
});

describe('compromised moves exist only where the principal is compromised', () => {
  it.each([
    ['xen-translate-gpfn', { op: 'forgeDmaEntry', client: 1, slot: 0, gfn: 0, addr: 0 }],
    ['xen-map-for-dma', { op: 'dmaMapAny', dom: 2, gfn: 0 }],
    ['xengt-shadow-map', { op: 'forgeShadowGgtt', index: 4, gfn: 0, addr: 0 }],
    ['xengt-shadow-map', { op: 'injectCommand', vm: 1, gma: 4, write: true }],
  ] as [string, Action][])('%s: %o is refused (EPERM) with a correct backend', (id, action) => {
    const o = run(id, {}, [action]);
    expect(o.kind).toBe('ok');
    if (o.kind === 'ok') expect(o.trace[0].result).toEqual({ ok: false, err: 'EPERM' });
  });

  it("a compromised translate-gpfn backend names one of Xen's MFNs: level 0 and no-xen-frame-reach in one action", () => {
    const o = run('xen-translate-gpfn', { backend: 'compromised' }, [{ op: 'forgeDmaEntry', client: 1, slot: 0, gfn: 0, addr: 0 }]);
    expect(o.kind).toBe('violation');
    if (o.kind === 'violation') {
      const ids = o.violations.map((v) => v.invariant);
      expect(ids).toContain('level-0-xen-protected');
      expect(ids).toContain('no-xen-frame-reach');
      expect(o.violations.find((v) => v.invariant === 'level-0-xen-protected')!.witnesses[0]).toMatchObject({ role: 'backend', compromised: true });
    }
  });
});

describe('backend privilege (XSM_TARGET)', () => {
  const foreign: Action = { op: 'mapForeign', caller: 0, target: 3, gfn: 0, callerGfn: 4 };
  it('a de-privileged backend may not foreign-map a non-client (EPERM)', () => {
    const o = run('xen-map-for-dma', {}, [foreign]);
    expect(o.kind === 'ok' && o.trace[0].result).toEqual({ ok: false, err: 'EPERM' });
  });
  it('the control domain may: the map succeeds and level 1 is broken by it', () => {
    const o = run('xen-map-for-dma', { backendPrivilege: 'control-domain' }, [foreign]);
    expect(o.kind).toBe('violation');
    if (o.kind === 'violation') expect(o.violations.map((v) => v.invariant)).toContain('level-1-clients-only');
  });
});
