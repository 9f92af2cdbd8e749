import { describe, expect, it } from 'vitest';
import { trackedWhileShadowed } from '../../../invariants/gpuShadow/trackedWhileShadowed.ts';
import { kvmgtPageTrack } from '../../../src/model/gpuShadow/designs/kvmgtPageTrack.ts';
import { derive } from '../../../src/model/derived.ts';
import type { State } from '../../../src/model/core/state.ts';
import { run, shadowWorld } from '../../fixtures/gpuShadow.ts';

const check = (s: State) => trackedWhileShadowed.check(derive(s));
const d = kvmgtPageTrack;

/** dom1: PPGTT rooted at gfn 4 (slot 1), PD[0] → gfn 0 (slot 0). */
function shadowed(counterBits = 16): State {
  const s = shadowWorld({ counterBits });
  run(d, s, 'populatePhysmap', { dom: 1, gfn: 4, mfn: 20 });
  run(d, s, 'guestWritePte', { dom: 1, gfn: 4, index: 0, value: 0 });
  run(d, s, 'ppgttCreate', { dom: 1, root: 4 });
  return s;
}

describe('tracked-while-shadowed', () => {
  it('holds across a flags change and a move of another slot (v2)', () => {
    const s = shadowed();
    run(d, s, 'memslotSetFlags', { dom: 1, slot: 0 });
    run(d, s, 'memslotSetFlags', { dom: 1, slot: 1 });
    expect(check(s)).toEqual([]);
    run(d, s, 'memslotMove', { dom: 1, slot: 1, base: 8 });
    expect(check(s)).toEqual([]);
    expect(check(shadowWorld())).toEqual([]);
  });

  it('is violated by v1: a flags change frees the counters under a live shadow', () => {
    const s = shadowed();
    run(d, s, 'memslotSetFlags', { dom: 1, slot: 0 }, { keepTrackOnSlotUpdate: false });
    const w = check(s);
    expect(w).toEqual([{ reason: 'mirrored-page-untracked', dom: 1, holder: { via: 'shadowPt', ppgtt: 0, pd: 0, gfn: 0 }, expected: '>0', actual: 0 }]);
    expect(trackedWhileShadowed.describe(w[0])).toBe(
      "dom1's page table (PD entry 0) at gfn 0x0 of PPGTT 0 is shadowed but not write-tracked: its CPU writes no longer reach the device model",
    );
  });

  it('is violated when a saturated counter reaches zero with a tracker left', () => {
    const s = shadowWorld({ counterBits: 1 });
    run(d, s, 'ppgttCreate', { dom: 1, root: 0 });
    run(d, s, 'ppgttCreate', { dom: 1, root: 0 });
    expect(check(s)).toEqual([]);
    run(d, s, 'ppgttDestroy', { dom: 1, ppgtt: 0 });
    const w = check(s);
    expect(w).toMatchObject([{ holder: { via: 'shadowPpgttRoot', ppgtt: 1, pd: -1, gfn: 0 } }]);
    expect(trackedWhileShadowed.describe(w[0])).toMatch(/^dom1's PPGTT root at gfn 0x0 of PPGTT 1/);
  });
});
