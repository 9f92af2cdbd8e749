import { describe, expect, it } from 'vitest';
import { hypercallStart } from '../../../src/model/virtio/ops/frontend.ts';
import { mapBuffer } from '../../../src/model/virtio/ops/map.ts';
import { returnPages, steal } from '../../../src/model/virtio/ops/steal.ts';
import { BACKEND, FRONTEND, GPU_BAR, ok, ramOf, stateWitnesses, world } from '../../fixtures/virtio.ts';

/** A world after Steal of frontend gfn 0 and 1, then Return of the first. */
function stolenAndReturned() {
  const s = world();
  ok(s, steal, { backend: BACKEND, dom: FRONTEND, gfns: [0, 1], backendGfns: [4, 5] });
  ok(s, returnPages, { backend: BACKEND, handle: 0 });
  return s;
}

describe('quota-matches-ownership over Steal and Return', () => {
  it('holds after Steal and Return move pages and quota', () => {
    const s = stolenAndReturned();
    expect([s.domains[BACKEND].totPages, s.domains[FRONTEND].totPages]).toEqual([5, 3]);
    expect(stateWitnesses('quota-matches-ownership', s)).toEqual([]);
  });

  it('is violated by a Steal that moves the page but not the quota', () => {
    const s = world();
    ok(s, steal, { backend: BACKEND, dom: FRONTEND, gfns: [0], backendGfns: [4] });
    s.domains[BACKEND].totPages -= 1;
    s.domains[FRONTEND].totPages += 1;
    expect(stateWitnesses('quota-matches-ownership', s)).toEqual([
      { reason: 'tot-pages-mismatch', dom: BACKEND, expected: 5, actual: 4 },
      { reason: 'tot-pages-mismatch', dom: FRONTEND, expected: 3, actual: 4 },
    ]);
  });

  it('is violated by a Steal that lets the backend exceed max_pages', () => {
    const s = world();
    ok(s, steal, { backend: BACKEND, dom: FRONTEND, gfns: [0], backendGfns: [4] });
    s.domains[BACKEND].maxPages = 4;
    expect(stateWitnesses('quota-matches-ownership', s)).toEqual([{ reason: 'over-max-pages', dom: BACKEND, expected: 4, actual: 5 }]);
  });

  it('does not count BAR frames (dom_io) against anyone', () => {
    const s = world();
    ok(s, mapBuffer, { backend: BACKEND, dom: FRONTEND, mfn: GPU_BAR, gfn: 4 });
    expect(stateWitnesses('quota-matches-ownership', s)).toEqual([]);
  });
});

describe('refcounts-match-refs over Steal, Return, Maps and hypercalls', () => {
  it('holds: a stolen page has two references (backend mapping and Map), one after Return', () => {
    const s = stolenAndReturned();
    expect(s.frames[ramOf(FRONTEND, 0)].refcount).toBe(1);
    expect(s.frames[ramOf(FRONTEND, 1)].refcount).toBe(2);
    ok(s, hypercallStart, { dom: FRONTEND, gfn: 0, write: false });
    expect(stateWitnesses('refcounts-match-refs', s)).toEqual([]);
  });

  it('is violated by a Steal that forgets the Map reference', () => {
    const s = world();
    ok(s, steal, { backend: BACKEND, dom: FRONTEND, gfns: [0], backendGfns: [4] });
    s.frames[ramOf(FRONTEND)].refcount -= 1;
    expect(stateWitnesses('refcounts-match-refs', s).map((w) => [w.reason, w.mfn, w.expected, w.actual])).toEqual([['refcount-mismatch', ramOf(FRONTEND), 2, 1]]);
  });

  it('is violated by a Return that keeps the backend reference after removing its mapping', () => {
    const s = world();
    ok(s, steal, { backend: BACKEND, dom: FRONTEND, gfns: [0], backendGfns: [4] });
    ok(s, returnPages, { backend: BACKEND, handle: 0 });
    s.frames[ramOf(FRONTEND)].refcount += 1;
    expect(stateWitnesses('refcounts-match-refs', s).map((w) => w.reason)).toEqual(['refcount-mismatch']);
  });
});
