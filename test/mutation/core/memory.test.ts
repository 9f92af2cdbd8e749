/**
 * Survivors of `npm run mutation` in core/ops/memory.ts (docs/mutation.md), and the hypervisor
 * behaviour each test protects.
 */
import { describe, expect, it } from 'vitest';
import { decreaseReservation, populatePhysmap } from '../../../src/model/core/ops/memory.ts';
import { applyOk, p2m, world } from '../../helpers/world.ts';

describe('populatePhysmap (XENMEM_populate_physmap)', () => {
  it('counts a frame ballooned out by the very first step as reallocated when it is handed out again', () => {
    // freedAt is the step a frame was freed at, -1 for never: step 0 is a free, like any other. The
    // survivor (`freedAt > 0`) missed it, so the seed's ballooning race — a frame freed, then given to
    // someone else — went uncounted when the balloon was the trace's first action.
    const s = world();
    const mfn = p2m(s, 1, 0).mfn;
    s.clock = 0;
    applyOk(s, decreaseReservation, { dom: 1, gfn: 0 });
    expect(s.frames[mfn].freedAt).toBe(0);
    expect(applyOk(s, populatePhysmap, { dom: 3, gfn: 8, mfn }).notes).toEqual(['freed-frame-reallocated']);
  });
});
