import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import { buildWorld, DEFAULT_CLIENTS } from '../../src/model/core/world.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { saveEntry } from '../../src/trace/corpusSave.ts';
import { explainFile } from '../../src/trace/explain.ts';
import { stepChange } from '../../src/trace/ownershipDiff.ts';
import { clonePlain } from '../../src/model/core/clone.ts';
import { raceEntry, tempDir } from '../helpers/entries.ts';

describe('stepChange', () => {
  it('sees owner, generation, refcount, references, mappings and target lists change', () => {
    const before = buildWorld(DEFAULT_SCOPE, { backendKind: 'pv-dom0', clients: [...DEFAULT_CLIENTS] });
    const after = clonePlain(before);
    // dom1 balloons gfn 0 (mfn 6) out; the toolstack drops dom1 from dom0's targets.
    after.domains[1].p2m[0] = null;
    after.domains[1].totPages -= 1;
    after.frames[6] = { ...after.frames[6], owner: { kind: 'free' }, refcount: 0 };
    after.domains[0].targets = [2];
    const c = stepChange(before, after);
    expect(c.domains).toEqual(['dom0 targets [1,2] → [2]', 'dom1 tot_pages 4 → 3']);
    expect(c.frames).toEqual([
      {
        mfn: 6,
        fields: ['owner dom1 → free', 'refcount 1 → 0'],
        refsAdded: [],
        refsDropped: ['dom1 p2m gfn 0x0 (ram_rw), taken at gen 1'],
        reachAdded: [],
        reachLost: ['dom1 CPU → dom1 p2m gfn 0x0 (ram_rw)'],
      },
    ]);
  });

  it('finds nothing when nothing changed', () => {
    const s = buildWorld(DEFAULT_SCOPE, { backendKind: 'pvh', clients: [1] });
    expect(stepChange(s, clonePlain(s))).toEqual({ frames: [], domains: [] });
  });
});

describe('explainFile', () => {
  it('walks the race step by step and ends with the witness', () => {
    const { file } = saveEntry(tempDir(), xenTranslateGpfn, raceEntry());
    const { text, exitCode } = explainFile(file);
    expect(exitCode).toBe(0);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`explain ${file}`);
    expect(text).toContain('invariant no-stale-reference (security): every live reference names the allocation generation it was taken at');
    expect(text).toContain('recorded: violated at step 3 of 3; replayed now: reproduced');
    // Step 1 takes an uncounted reference and a GPU mapping; step 2 frees the frame; step 3 hands it to dom0.
    const at = (s: string) => lines.findIndex((l) => l.includes(s));
    expect(at('1. shadowSet client=1 slot=0 gfn=0  → ok → 0x6')).toBeGreaterThan(0);
    expect(text).toContain('+ reference: DMA table of dom1 slot 0, taken at gen 1 (no reference count)');
    expect(text).toContain('mfn 0x6: owner dom1 → free, refcount 1 → 0');
    expect(text).toContain('3. populatePhysmap dom=0 gfn=4 mfn=6  → ok → 0x6   ✗ no-stale-reference');
    expect(text).toContain('mfn 0x6: owner free → dom0, gen 1 → 2, refcount 0 → 1');
    expect(at('witness (no-stale-reference): DMA table of dom1 slot 0 was taken at gen 1 but mfn 0x6 (owner dom0, gen 2) has been reallocated since')).toBeGreaterThan(at('3. populatePhysmap'));
    expect(lines.at(-1)).toBe(`  replay: npx shadowcheck replay ${file}`);
  });

  it('shows the recorded trace when an action no longer applies, and exits 1', () => {
    const e = raceEntry();
    const file = join(tempDir(), 'dead.json');
    writeFileSync(file, JSON.stringify({ ...e, trace: [e.trace[0], { action: { op: 'decreaseReservation', dom: 4, gfn: 0 }, result: { ok: true } }, e.trace[2]] }));
    const { text, exitCode } = explainFile(file);
    expect(exitCode).toBe(1);
    expect(text).toContain('replayed now: stale');
    expect(text).toContain('the trace as recorded');
    expect(text).toContain('witness (no-stale-reference, recorded):');
  });

  it('exits 2 with one line for a bad file', () => {
    const file = join(tempDir(), 'bad.json');
    writeFileSync(file, '{"format": 1}');
    expect(explainFile(file)).toEqual({ text: `${file}: /: must have required property 'shadowcheck'`, exitCode: 2 });
  });
});
