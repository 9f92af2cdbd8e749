import { describe, expect, it } from 'vitest';
import { chunkSeed } from '../../src/fuzz/chunkSeed.ts';
import { chunkSpec, CHUNK_RUNS } from '../../src/fuzz/campaign.ts';

describe('chunk seeds', () => {
  it('chunk 0 is the campaign seed itself, so the first 50 runs are fast-check’s own run of that seed', () => {
    for (const s of [0, 1, 19, 2 ** 31, 2 ** 32 - 1]) expect(chunkSeed(s, 0)).toBe(s);
  });

  it('different --seed values never share a chunk (seeds 1–300 × chunks 0–99: 30,000 distinct fast-check seeds)', () => {
    const seen = new Set<number>();
    for (let s = 1; s <= 300; s++) for (let c = 0; c < 100; c++) seen.add(chunkSeed(s, c));
    expect(seen.size).toBe(300 * 100);
    // The old derivation, s + c, gave seed 2 all but one of seed 1's chunks.
    const old = new Set<number>();
    for (let s = 1; s <= 300; s++) for (let c = 0; c < 100; c++) old.add(s + c);
    expect(old.size).toBeLessThan(500);
  });

  it('for a fixed chunk the map from campaign seed is one-to-one, and stays a 32-bit unsigned fast-check seed', () => {
    for (const c of [1, 2, 1000]) {
      const seen = new Set<number>();
      for (let s = 0; s < 5000; s++) {
        const v = chunkSeed(s, c);
        expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
        seen.add(v);
      }
      expect(seen.size).toBe(5000);
    }
  });

  it('a run budget is ⌈runs / 50⌉ chunks, the last one short; a time budget has no last chunk', () => {
    expect(chunkSpec(7, 0, { runs: 120 })).toEqual({ index: 0, seed: 7, numRuns: CHUNK_RUNS });
    expect(chunkSpec(7, 2, { runs: 120 })).toEqual({ index: 2, seed: chunkSeed(7, 2), numRuns: 20 });
    expect(chunkSpec(7, 3, { runs: 120 })).toBeUndefined();
    expect(chunkSpec(7, 500, { seconds: 1 })?.numRuns).toBe(CHUNK_RUNS);
  });
});
