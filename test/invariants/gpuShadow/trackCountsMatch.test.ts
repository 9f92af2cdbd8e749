import { describe, expect, it } from 'vitest';
import { trackCountsMatch } from '../../../invariants/gpuShadow/trackCountsMatch.ts';
import { kvmgtPageTrack } from '../../../src/model/gpuShadow/designs/kvmgtPageTrack.ts';
import { derive } from '../../../src/model/derived.ts';
import type { State } from '../../../src/model/core/state.ts';
import { run, shadowWorld } from '../../fixtures/gpuShadow.ts';

const check = (s: State) => trackCountsMatch.check(derive(s));
const d = kvmgtPageTrack;

describe('track-counts-match', () => {
  it('holds: each counter equals the shadows mirroring its page', () => {
    const s = shadowWorld();
    run(d, s, 'guestWritePte', { dom: 1, gfn: 0, index: 0, value: 0 });
    run(d, s, 'ppgttCreate', { dom: 1, root: 0 });
    run(d, s, 'ppgttCreate', { dom: 1, root: 0 });
    expect(s.pageTrack!.vms[1].memslots[0].writeTrack[0]).toBe(4);
    expect(check(s)).toEqual([]);
    run(d, s, 'ppgttDestroy', { dom: 1, ppgtt: 0 });
    expect(check(s)).toEqual([]);
  });

  it('holds in a world without page tracking', () => {
    const s = shadowWorld();
    delete s.pageTrack;
    expect(check(s)).toEqual([]);
  });

  it('is violated when a counter saturates at its width', () => {
    const s = shadowWorld({ counterBits: 1 });
    run(d, s, 'ppgttCreate', { dom: 1, root: 0 });
    run(d, s, 'ppgttCreate', { dom: 1, root: 0 });
    const w = check(s);
    expect(w).toEqual([{ reason: 'counter-mismatch', dom: 1, holder: { via: 'memslot', base: 0, gfn: 0 }, expected: 2, actual: 1 }]);
    expect(trackCountsMatch.describe(w[0])).toBe('dom1 gfn 0x0: write-track counter is 1 but 2 shadow structure(s) mirror the page');
  });

  it('is violated when a counter goes past its width, and when a tracker lies outside every memslot', () => {
    const s = shadowWorld({ counterBits: 1 });
    s.pageTrack!.vms[2].memslots[1].writeTrack[0] = 2;
    s.gpu.shadow!.vgpus[1].ppgtts[0] = { root: { gfn: 12, mfn: 20, gen: 0 }, pts: [null, null] };
    const w = check(s);
    expect(w).toEqual([
      { reason: 'counter-wrapped', dom: 2, holder: { via: 'memslot', base: 4, gfn: 4 }, expected: 1, actual: 2 },
      { reason: 'tracker-outside-memslots', dom: 1, holder: { via: 'memslot', gfn: 12 }, expected: 1, actual: 0 },
    ]);
    expect(trackCountsMatch.describe(w[0])).toMatch(/exceeds its width \(max 1\)/);
    expect(trackCountsMatch.describe(w[1])).toMatch(/no memslot holds it/);
  });

  it('is violated by v1: a flags change zeroes counters under live trackers', () => {
    const s = shadowWorld();
    run(d, s, 'ppgttCreate', { dom: 2, root: 1 });
    run(d, s, 'memslotSetFlags', { dom: 2, slot: 0 }, { keepTrackOnSlotUpdate: false });
    expect(check(s)).toMatchObject([{ reason: 'counter-mismatch', dom: 2, expected: 1, actual: 0 }]);
  });

  it("holds with KVMGT's protect table: the counter is 1 however many shadows mirror the page", () => {
    const s = shadowWorld({ protectTable: true });
    run(d, s, 'guestWritePte', { dom: 1, gfn: 0, index: 0, value: 0 });
    run(d, s, 'ppgttCreate', { dom: 1, root: 0 });
    run(d, s, 'ppgttCreate', { dom: 1, root: 0 });
    expect(s.pageTrack!.vms[1].memslots[0].writeTrack[0]).toBe(1);
    expect(s.gpu.shadow!.vgpus[1].protect).toEqual([{ gfn: 0, users: 4 }]);
    expect(check(s)).toEqual([]);
    run(d, s, 'ppgttDestroy', { dom: 1, ppgtt: 0 });
    expect(check(s)).toEqual([]);
  });

  it("is violated when a protect-table entry miscounts its page's shadows, or KVM's counter disagrees with the table", () => {
    const s = shadowWorld({ protectTable: true });
    run(d, s, 'ppgttCreate', { dom: 1, root: 0 });
    s.gpu.shadow!.vgpus[1].protect![0] = { gfn: 0, users: 2 };
    const w = check(s);
    expect(w).toEqual([{ reason: 'protect-users-mismatch', dom: 1, holder: { via: 'memslot', gfn: 0 }, expected: 1, actual: 2 }]);
    expect(trackCountsMatch.describe(w[0])).toBe("dom1 gfn 0x0: KVMGT's protect-table entry counts 2 shadow structure(s) but 1 mirror the page");
    s.gpu.shadow!.vgpus[1].protect![0] = { gfn: 0, users: 1 };
    s.pageTrack!.vms[1].memslots[0].writeTrack[0] = 2;
    expect(check(s)).toMatchObject([{ reason: 'counter-mismatch', dom: 1, expected: 1, actual: 2 }]);
  });
});
