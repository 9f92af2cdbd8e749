/**
 * A driver-domain backend that crashes (issue 11 item 4): Xen's gnttab_release_mappings undoes every
 * mapping it held, so its clients end access and have their frames back; the releaseOnDeath knob that
 * skips the device halves leaves them pinned.
 */
import { describe, expect, it } from 'vitest';
import { clientsSurviveBackendCrash } from '../../../../invariants/core/clientsSurviveBackendCrash.ts';
import { grantPinsMatchMappings } from '../../../../invariants/core/grantPinsMatchMappings.ts';
import { refcountsMatchRefs } from '../../../../invariants/core/refcountsMatchRefs.ts';
import { writableMappingHoldsTypeRef } from '../../../../invariants/core/writableMappingHoldsTypeRef.ts';
import type { StateInvariant } from '../../../../invariants/types.ts';
import { xenGrantBackend } from '../../../../src/model/core/designs/xenGrantBackend.ts';
import { crashBackend } from '../../../../src/model/core/ops/grantBackendCrash.ts';
import { endAccess, grantAccess, mapGrant } from '../../../../src/model/core/ops/grants.ts';
import { DEFAULT_SCOPE } from '../../../../src/model/core/scope.ts';
import type { State } from '../../../../src/model/core/state.ts';
import { applyOk, expectRefused, p2m, witnesses, world } from '../../../helpers/world.ts';

/** The grant-backend world: clients dom2 and dom3 each grant a page to the driver domain dom1, which maps both halves of one and the host half of the other. */
function attached(knobs = {}): State {
  const s = world(xenGrantBackend, knobs);
  applyOk(s, grantAccess, { granter: 2, ref: 0, grantee: 1, gfn: 1, readonly: false }, knobs);
  applyOk(s, grantAccess, { granter: 3, ref: 0, grantee: 1, gfn: 2, readonly: true }, knobs);
  applyOk(s, mapGrant, { grantee: 1, granter: 2, ref: 0, readonly: false, hostGfn: 8, deviceBfn: 0 }, knobs);
  applyOk(s, mapGrant, { grantee: 1, granter: 3, ref: 0, readonly: true, hostGfn: 9, deviceBfn: -1 }, knobs);
  return s;
}

describe('crashBackend', () => {
  it('a crashed driver domain leaves its clients whole: no pin, no handle, every reference and type reference back', () => {
    const s = attached();
    const a = p2m(s, 2, 1).mfn;
    const b = p2m(s, 3, 2).mfn;
    expect(s.frames[a]).toMatchObject({ refcount: 3, typeCount: 1 });
    const { notes } = applyOk(s, crashBackend, { dom: 1 });
    expect(notes).toEqual(expect.arrayContaining(['driver-domain-backend-crashed', 'grant-released-by-dying-grantee', 'client-grant-unpinned-by-backend-crash']));
    expect(s.domains[1].state).toBe('dead');
    expect(s.domains[1].maptrack.every((m) => m === null)).toBe(true);
    for (const [dom, mfn] of [[2, a], [3, b]]) {
      expect(s.domains[dom].grants[0]).toMatchObject({ maps: 0, pin: { hostRw: 0, hostRo: 0, devRw: 0, devRo: 0 }, mfn: -1 });
      expect(s.frames[mfn].refcount).toBe(1);
      expect(s.frames[mfn].typeCount).toBeUndefined();
      applyOk(s, endAccess, { granter: dom, ref: 0 });
    }
    const all: StateInvariant[] = [clientsSurviveBackendCrash, grantPinsMatchMappings, writableMappingHoldsTypeRef, refcountsMatchRefs];
    for (const inv of all) expect(witnesses(inv, s), inv.id).toEqual([]);
  });

  it('releaseOnDeath=host-halves-only leaves the device half pinned: the client can never end access', () => {
    const knobs = { releaseOnDeath: 'host-halves-only' };
    const s = attached(knobs);
    applyOk(s, crashBackend, { dom: 1 }, knobs);
    expect(s.domains[2].grants[0]!.pin).toEqual({ hostRw: 0, hostRo: 0, devRw: 1, devRo: 0 });
    expect(witnesses(clientsSurviveBackendCrash, s).map((w) => w.reason)).toEqual(['dead-grantee-holds-handle', 'grant-pinned-for-dead-grantee']);
    expect(witnesses(writableMappingHoldsTypeRef, s).map((w) => w.reason)).toEqual(['type-ref-without-writable-mapping']);
    expectRefused(s, endAccess, { granter: 2, ref: 0 }, 'EBUSY');
  });

  it('resolves only a live non-dom0 domain holding a grant mapping, and refuses dom0 (EPERM) and a dead one (ESRCH)', () => {
    expect(crashBackend.resolve(world(xenGrantBackend), { dom: 1 }, DEFAULT_SCOPE)).toBeNull();
    const s = attached();
    expect(crashBackend.resolve(s, { dom: 3 }, DEFAULT_SCOPE)).toEqual({ dom: 1 });
    expectRefused(s, crashBackend, { dom: 0 }, 'EPERM');
    applyOk(s, crashBackend, { dom: 1 });
    expectRefused(s, crashBackend, { dom: 1 }, 'ESRCH');
  });
});
