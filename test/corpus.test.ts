/**
 * The committed corpus is a regression suite: every entry in `corpus/` must still give its recorded
 * verdict (a violation of the same invariant at the same step, or holding for entries recorded as
 * fixed). A model or design change that makes an entry stop reproducing, or leaves it stale, fails
 * here. Regenerate after a deliberate change with `npm run corpus` (see README).
 */
import { describe, expect, it } from 'vitest';
import { listEntryFiles } from '../src/trace/corpusLoad.ts';
import { DEFAULT_CORPUS_DIR } from '../src/trace/corpusSave.ts';
import { replayFile } from '../src/trace/replay.ts';
import { brokenShadowSet } from './fixtures/brokenDesigns.ts';

const { files } = listEntryFiles([DEFAULT_CORPUS_DIR]);

describe('the committed corpus', () => {
  it('holds the known-bad designs\' minimal counterexamples', () => {
    const names = files.map((f) => f.replace(/-[0-9a-f]{8}\.json$/, ''));
    expect(names).toEqual(
      expect.arrayContaining([
        'corpus/xen-translate-gpfn/no-stale-reference',
        'corpus/xen-translate-gpfn/no-foreign-reach',
        'corpus/xen-translate-gpfn/no-xen-frame-reach',
        'corpus/xen-map-for-dma/no-foreign-reach.checkTarget=false',
      ]),
    );
  });

  it.each(files)('%s reproduces', (file) => {
    const r = replayFile(file);
    expect(`${r.status}: ${r.reason}`).toMatch(/^reproduced: /);
  });

  it('catches a regression: with shadowSet broken, every entry that uses it no longer reproduces', () => {
    // Entries whose shadowSet succeeded (getPageFirst's break is a shadowSet refused with EPERM, which the broken op answers too).
    const using = files.filter((f) => replayFile(f).entry?.trace.some((s) => s.action.op === 'shadowSet' && s.result.ok));
    expect(using.length).toBeGreaterThan(0);
    for (const file of using) {
      const r = replayFile(file, { findDesign: brokenShadowSet });
      expect(r.status, file).toBe('no-longer-reproduces');
      expect(r.reason).toMatch(/first difference: step \d+ \(shadowSet\) now answers EPERM, recorded ok/);
    }
  });
});
