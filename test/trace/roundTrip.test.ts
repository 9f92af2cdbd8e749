/**
 * Rule checks over real campaigns: save → load → replay gives the same verdict and witness, and so
 * does export to ITF → import → replay, for every counterexample the known-bad designs produce.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INVARIANTS } from '../../invariants/registry.ts';
import { knobDefaults } from '../../src/model/core/design.ts';
import { xenMapForDma } from '../../src/model/core/designs/xenMapForDma.ts';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import { runCampaign } from '../../src/fuzz/campaign.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { campaignEntries } from '../../src/trace/campaignEntries.ts';
import { saveEntry } from '../../src/trace/corpusSave.ts';
import { loadEntryFile } from '../../src/trace/corpusLoad.ts';
import { writeItfFiles } from '../../src/trace/itfExport.ts';
import { replayFile } from '../../src/trace/replay.ts';
import { tempDir } from '../helpers/entries.ts';

const CASES = [
  { design: xenTranslateGpfn, knobs: knobDefaults(xenTranslateGpfn) },
  { design: xenMapForDma, knobs: { checkTarget: false } },
];

describe.each(CASES)('round trips of $design.id counterexamples', ({ design, knobs }) => {
  const result = runCampaign(design, { seed: 3, budget: { runs: 300 }, scope: DEFAULT_SCOPE, knobs, invariants: INVARIANTS });
  const items = campaignEntries(result, DEFAULT_SCOPE);

  it('the campaign found something to round-trip', () => {
    expect(items.length).toBeGreaterThan(0);
  });

  it('save → load → replay: same verdict, step and witnesses', () => {
    const dir = tempDir();
    for (const { entry } of items) {
      const { file } = saveEntry(dir, design, entry);
      const loaded = loadEntryFile(file);
      expect(loaded.ok && loaded.entry).toEqual(entry);
      const r = replayFile(file);
      expect(r.status, r.reason).toBe('reproduced');
      expect(r.outcome?.kind).toBe('violation');
      if (r.outcome?.kind !== 'violation' || entry.expect.verdict !== 'violated') continue;
      expect(r.outcome.step).toBe(entry.expect.step);
      expect(r.outcome.violations.find((v) => v.invariant === entry.invariant)?.witnesses).toEqual(entry.witnesses);
      expect(r.notes).toEqual([]);
    }
  });

  it('export ITF → import → replay: same verdict, step and witnesses', () => {
    const dir = tempDir();
    const files = writeItfFiles(dir, items.map(({ entry }) => ({ design, entry })));
    files.forEach((file, i) => {
      const entry = items[i].entry;
      const loaded = loadEntryFile(file);
      expect(loaded.ok && loaded.origin).toBe('itf');
      expect(loaded.ok && loaded.entry).toEqual(entry);
      const r = replayFile(file);
      expect(r.status, r.reason).toBe('reproduced');
      expect(r.notes).toEqual([]);
      if (r.outcome?.kind === 'violation') expect(r.outcome.violations.find((v) => v.invariant === entry.invariant)?.witnesses).toEqual(entry.witnesses);
      expect(JSON.parse(readFileSync(file, 'utf8'))['#meta'].format).toBe('ITF');
    });
    expect(files.every((f) => f.startsWith(join(dir, design.id)))).toBe(true);
  });
});
