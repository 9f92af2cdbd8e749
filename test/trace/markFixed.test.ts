import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { xenMapForDma } from '../../src/model/core/designs/xenMapForDma.ts';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import type { CorpusEntry } from '../../src/trace/corpusEntry.ts';
import { saveEntry } from '../../src/trace/corpusSave.ts';
import { designDigest } from '../../src/trace/digest.ts';
import { fixedEntry, markFixed } from '../../src/trace/markFixed.ts';
import { replayFile } from '../../src/trace/replay.ts';
import { raceEntry, tempDir } from '../helpers/entries.ts';
import { knobDefaults } from '../../src/model/core/design.ts';

/** The race recorded as breaking xen-map-for-dma — as if a bug there had since been fixed. */
function fixedBugEntry(): CorpusEntry {
  const e = raceEntry();
  // With map-for-DMA's own knobs (the translate design also has dom0IdentityCoversXen).
  const knobs = knobDefaults(xenMapForDma);
  return { ...e, knobs, design: { ...e.design, id: 'xen-map-for-dma', digest: designDigest(xenMapForDma, knobs) } };
}

describe('mark fixed', () => {
  it('rewrites an entry whose violation a fix removed as recorded-fixed, which then replays as reproduced', () => {
    const { file: old } = saveEntry(tempDir(), xenMapForDma, fixedBugEntry());
    const r = replayFile(old);
    expect(r.status).toBe('no-longer-reproduces');
    // Same digest, invariant and actions: same key, so the entry is rewritten in place.
    expect(markFixed(r)).toBe(old);
    const fixed = JSON.parse(readFileSync(old, 'utf8')) as CorpusEntry;
    expect(fixed.expect).toEqual({ verdict: 'holds' });
    expect(fixed.witnesses).toEqual([]);
    // The answers are the fixed design's: map-for-DMA returns a BFN, not the MFN.
    expect(fixed.trace[0].result).toEqual({ ok: true, value: 0 });
    expect(fixed.trace.map((s) => s.action)).toEqual(fixedBugEntry().trace.map((s) => s.action));
    const again = replayFile(old);
    expect(again.status).toBe('reproduced');
    expect(again.reason).toBe('no-stale-reference holds, as recorded (fixed)');
  });

  it('renames a stale entry for its new digest, removing the old file only after the new one is written', () => {
    const e = fixedBugEntry();
    // Recorded when shadowSet was at rev 1: the design has changed since, so the entry is stale.
    const old = join(tempDir(), 'old.json');
    writeFileSync(old, JSON.stringify({ ...e, design: { ...e.design, digest: 'sha256:0123456789abcdef', ops: { ...e.design.ops, shadowSet: 1 } } }));
    const r = replayFile(old);
    expect(r.status).toBe('stale');
    const file = markFixed(r)!;
    expect(file).toMatch(/\/no-stale-reference-[0-9a-f]{8}\.json$/);
    expect(existsSync(old)).toBe(false);
    expect(replayFile(file).status).toBe('reproduced');
  });

  it('leaves alone entries that still reproduce, or whose invariant breaks differently', () => {
    const dir = tempDir();
    const { file } = saveEntry(dir, xenTranslateGpfn, raceEntry());
    expect(markFixed(replayFile(file))).toBeUndefined();
    const e = raceEntry();
    const moved = join(dir, 'moved.json');
    writeFileSync(moved, JSON.stringify({ ...e, trace: [...e.trace, { action: { op: 'gpuDma', client: 1, slot: 0, write: true }, result: { ok: true, value: 6 } }], expect: { verdict: 'violated', step: 3 } }));
    const r = replayFile(moved);
    expect(r.status).toBe('no-longer-reproduces');
    expect(fixedEntry(r)).toBeUndefined();
  });
});
