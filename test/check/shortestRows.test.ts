/**
 * Shortest is checked, as `npm run bench` prints it: for every expected violation of the core
 * designs (and their knob variants), fuzz's counterexample from seed 1 — shrunk, then BFS-shortened —
 * is at most 1.2 times the breadth-first shortest in the design's check scope, and exactly as short
 * on the seed-derived races. Without the shortening pass the translate race's row is 4/3.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ShortestRow } from '../../src/bench/shortest.ts';
import { expectedViolations, shortestRow } from '../../src/bench/shortest.ts';
import { findDesign } from '../../src/model/designs.ts';

const core = ['xen-translate-gpfn', 'xen-map-for-dma'].map((id) => findDesign(id)!);
/** The seed's races (docs/seeds): the translate race, and a non-target mapping with checkTarget=false. */
const SEED_RACES = ['xen-translate-gpfn (defaults) no-stale-reference', 'xen-map-for-dma checkTarget=false no-foreign-reach'];

describe('shortest is checked on the core designs (seed 1)', () => {
  let rows: ShortestRow[] = [];
  beforeAll(() => {
    rows = expectedViolations(core).map((x) => shortestRow(x.design, x.knobs, x.settings, x.invariant, 1, 5_000));
  }, 120_000);

  it('covers every expected violation of both designs, and measures a ratio wherever fuzz found one', () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const r of rows) if (r.shrunk !== undefined) expect(r.ratio, `${r.design} ${r.settings} ${r.invariant}`).toBeDefined();
    expect(rows.filter((r) => r.ratio !== undefined).length).toBeGreaterThanOrEqual(9);
  });

  it('every measured ratio is at most 1.2, and the seed-derived races exactly 1', () => {
    for (const r of rows) if (r.ratio !== undefined) expect(r.ratio, `${r.design} ${r.settings} ${r.invariant}: ${r.shortened}/${r.shortest}`).toBeLessThanOrEqual(1.2);
    for (const name of SEED_RACES) {
      const r = rows.find((x) => `${x.design} ${x.settings} ${x.invariant}` === name);
      expect(r?.ratio, name).toBe(1);
    }
  });
});
