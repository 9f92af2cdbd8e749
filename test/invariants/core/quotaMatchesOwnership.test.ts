import { describe, expect, it } from 'vitest';
import { quotaMatchesOwnership } from '../../../invariants/core/quotaMatchesOwnership.ts';
import type { State } from '../../../src/model/core/state.ts';
import { decreaseReservation, populatePhysmap } from '../../../src/model/core/ops/memory.ts';
import { FREE_MFN, applyOk, initialWorlds, witnesses, world } from '../../helpers/world.ts';

const check = (s: State) => witnesses(quotaMatchesOwnership, s);

describe('quota-matches-ownership holds', () => {
  it('in the initial worlds', () => {
    for (const s of initialWorlds()) expect(check(s)).toEqual([]);
  });

  it('after ballooning out and in, up to max_pages exactly', () => {
    const s = world();
    applyOk(s, decreaseReservation, { dom: 1, gfn: 0 });
    for (let gfn = 4; gfn < 8; gfn++) applyOk(s, populatePhysmap, { dom: 2, gfn, mfn: FREE_MFN + gfn });
    expect(s.domains[2].totPages).toBe(s.domains[2].maxPages);
    expect(check(s)).toEqual([]);
  });
});

describe('quota-matches-ownership is violated', () => {
  it('when tot_pages counts more frames than the domain owns', () => {
    const s = world();
    s.domains[2].totPages = 5;
    const [w, ...rest] = check(s);
    expect(rest).toEqual([]);
    expect(w).toEqual({ reason: 'tot-pages-mismatch', dom: 2, expected: 4, actual: 5 });
    expect(quotaMatchesOwnership.describe(w)).toBe('dom2 has tot_pages 5 but owns 4 frames');
  });

  it('when a domain owns a frame its tot_pages does not count', () => {
    const s = world();
    s.frames[FREE_MFN].owner = { kind: 'dom', dom: 3 };
    expect(check(s)).toEqual([{ reason: 'tot-pages-mismatch', dom: 3, expected: 5, actual: 4 }]);
  });

  it('when a domain owns more than its max_pages', () => {
    const s = world();
    s.domains[1].maxPages = 3;
    const [w, ...rest] = check(s);
    expect(rest).toEqual([]);
    expect(w).toEqual({ reason: 'over-max-pages', dom: 1, expected: 3, actual: 4 });
    expect(quotaMatchesOwnership.describe(w)).toBe('dom1 owns 4 frames, over its max_pages 3');
  });
});
