import { describe, expect, it } from 'vitest';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import { saveEntry } from '../../src/trace/corpusSave.ts';
import { measureReplayRate } from '../../src/trace/replayRate.ts';
import { raceEntry, tempDir } from '../helpers/entries.ts';

describe('measureReplayRate', () => {
  it('counts whole passes over the corpus', () => {
    const dir = tempDir();
    saveEntry(dir, xenTranslateGpfn, raceEntry());
    const r = measureReplayRate(dir, 0);
    expect(r.entries).toBe(1);
    expect(r.replays).toBe(1);
    expect(r.notReproduced).toBe(0);
    expect(r.entriesPerSecond).toBeGreaterThan(0);
  });

  it('reports an empty corpus as zero', () => {
    expect(measureReplayRate(tempDir(), 0)).toEqual({ entries: 0, replays: 0, seconds: 0, entriesPerSecond: 0, notReproduced: 0 });
  });
});
