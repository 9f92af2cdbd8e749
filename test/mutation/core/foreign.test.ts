/**
 * Survivors of `npm run mutation` in core/ops/foreign.ts (docs/mutation.md), and the hypervisor
 * behaviour each test protects.
 */
import { describe, expect, it } from 'vitest';
import { mapForeign } from '../../../src/model/core/ops/foreign.ts';
import { applyOk, p2m, world } from '../../helpers/world.ts';

describe('mapForeign (XENMAPSPACE_gmfn_foreign)', () => {
  it("maps a target's read-only RAM: p2m_add_foreign accepts any p2m_is_ram type, p2m_ram_ro included", () => {
    // The survivor forced `src.type !== 'ram_ro'` to true: mapping a ram_ro GFN was refused (EINVAL),
    // which no generated campaign notices because the core worlds boot with ram_rw GFNs only.
    const s = world();
    const src = p2m(s, 1, 2);
    s.domains[1].p2m[2] = { ...src, type: 'ram_ro' };
    applyOk(s, mapForeign, { caller: 0, target: 1, gfn: 2, callerGfn: 9 });
    expect(p2m(s, 0, 9)).toMatchObject({ mfn: src.mfn, type: 'foreign', foreign: { dom: 1, gfn: 2 } });
    expect(s.frames[src.mfn].refcount).toBe(2);
  });
});
