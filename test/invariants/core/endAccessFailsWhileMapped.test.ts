import { describe, expect, it } from 'vitest';
import { endAccessFailsWhileMapped as inv, type EndAccessWitness } from '../../../invariants/core/endAccessFailsWhileMapped.ts';
import type { Witness } from '../../../invariants/types.ts';
import { clonePlain } from '../../../src/model/core/clone.ts';
import { derive } from '../../../src/model/derived.ts';
import type { State } from '../../../src/model/core/state.ts';
import { endAccess, grantAccess, mapGrant } from '../../../src/model/core/ops/grants.ts';
import type { OpDef } from '../../../src/model/core/op.ts';
import { OK, fail } from '../../../src/model/core/op.ts';
import { applyOk, ctx, world } from '../../helpers/world.ts';

/** dom1 grants its gfn 2 to dom0 under refs 0 and 1; dom0 maps ref 0 only. */
function mappedGrant(): State {
  const s = world();
  applyOk(s, grantAccess, { granter: 1, ref: 0, grantee: 0, gfn: 2, readonly: false });
  applyOk(s, grantAccess, { granter: 1, ref: 1, grantee: 0, gfn: 2, readonly: false });
  applyOk(s, mapGrant, { grantee: 0, granter: 1, ref: 0, readonly: false, hostGfn: 9, deviceBfn: -1 });
  return s;
}

/** Take one step as the runner does (snapshot, apply, advance the clock) and check the invariant on it. */
function checkStep(s: State, op: OpDef, args: { granter: number; ref: number }): Witness[] {
  const before = clonePlain(s);
  const result = op.apply(s, args, ctx());
  s.clock += 1;
  return inv.check(before, { op: op.name, ...args }, result, derive(s));
}

/** An endAccess that forgets the mapped check: the grant goes while dom0 still maps it. */
const endAccessIgnoringMaps: OpDef = {
  ...endAccess,
  apply(state, { granter, ref }) {
    state.domains[granter as number].grants[ref as number] = null;
    return OK;
  },
};

/** An endAccess that answers EBUSY but has already cleared the grant's map count. */
const endAccessRefusingLate: OpDef = {
  ...endAccess,
  apply(state, { granter, ref }) {
    state.domains[granter as number].grants[ref as number]!.maps = 0;
    return fail('EBUSY');
  },
};

describe('end-access-fails-while-mapped holds', () => {
  it('reads its action typed from the endAccess op: an action without ref does not type-check', () => {
    // @ts-expect-error — endAccess's resolved arguments are granter and ref (ArgsOf<typeof endAccess>).
    const missing: Parameters<typeof inv.check>[1] = { op: 'endAccess', granter: 1 };
    expect(missing.granter).toBe(1);
  });

  it('when endAccess refuses a mapped grant with EBUSY and changes nothing (the clock aside)', () => {
    expect(checkStep(mappedGrant(), endAccess, { granter: 1, ref: 0 })).toEqual([]);
  });

  it('when endAccess revokes a grant nobody maps', () => {
    const s = mappedGrant();
    expect(checkStep(s, endAccess, { granter: 1, ref: 1 })).toEqual([]);
    expect(s.domains[1].grants[1]).toBeNull();
  });

  it('when there was no grant to end, or no such granter', () => {
    expect(checkStep(mappedGrant(), endAccess, { granter: 1, ref: 2 })).toEqual([]);
    expect(checkStep(mappedGrant(), endAccess, { granter: 99, ref: 0 })).toEqual([]);
  });

  it('for a buggy endAccess on an unmapped grant: the rule is only about mapped ones', () => {
    expect(checkStep(mappedGrant(), endAccessIgnoringMaps, { granter: 1, ref: 1 })).toEqual([]);
  });
});

describe('end-access-fails-while-mapped asks for a snapshot', () => {
  it('only for endAccess of a mapped grant, the one case the check speaks of', () => {
    const s = mappedGrant();
    const when = (ref: number, granter = 1) => inv.when!(s, { op: 'endAccess', granter, ref });
    expect([when(0), when(1), when(2), when(0, 99)]).toEqual([true, false, false, false]);
  });
});

describe('end-access-fails-while-mapped is violated', () => {
  it('by an endAccess that succeeds while the grant is mapped', () => {
    const [w, ...rest] = checkStep(mappedGrant(), endAccessIgnoringMaps, { granter: 1, ref: 0 });
    expect(rest).toEqual([]);
    expect(w).toEqual({
      reason: 'end-access-succeeded-while-mapped',
      dom: 1,
      expected: 'EBUSY',
      actual: 'ok',
      holder: { via: 'grant', granter: 1, ref: 0 },
    });
    expect(inv.describe(w as EndAccessWitness)).toBe('dom1 ended access to grant ref 0 while it was mapped (expected EBUSY)');
  });

  it('by an endAccess that refuses but has changed the state anyway, naming where', () => {
    const [w, ...rest] = checkStep(mappedGrant(), endAccessRefusingLate, { granter: 1, ref: 0 });
    expect(rest).toEqual([]);
    expect(w).toEqual({
      reason: 'refused-end-access-changed-state',
      dom: 1,
      expected: 'no change',
      actual: '$.domains[1].grants[0].maps',
      holder: { via: 'grant', granter: 1, ref: 0 },
    });
    expect(inv.describe(w as EndAccessWitness)).toBe('a refused endAccess of dom1 grant ref 0 still changed $.domains[1].grants[0].maps');
  });
});
