/**
 * Phases in traces: rendered with their continuation and phase name, saved in the corpus JSON as
 * plain actions (the schema unchanged, so older entries still load), and exported to ITF with the
 * continuations in each state — each form replays to the same violation.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INVARIANTS } from '../../invariants/registry.ts';
import { runCampaign } from '../../src/fuzz/campaign.ts';
import { knobDefaults } from '../../src/model/core/design.ts';
import type { KnobValues } from '../../src/model/core/op.ts';
import { CONTINUE } from '../../src/model/core/phase.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { findDesign } from '../../src/model/designs.ts';
import { campaignEntries } from '../../src/trace/campaignEntries.ts';
import { loadEntryFile } from '../../src/trace/corpusLoad.ts';
import { saveEntry } from '../../src/trace/corpusSave.ts';
import { writeItfFiles } from '../../src/trace/itfExport.ts';
import { actionText, resultText, traceLines } from '../../src/trace/render.ts';
import { replayFile } from '../../src/trace/replay.ts';
import { tempDir } from '../helpers/entries.ts';

const CASES: { id: string; knobs: KnobValues; invariant: string }[] = [
  { id: 'kvmgt-track-race', knobs: { trackWriteLookup: 'before-unlock' }, invariant: 'refcounts-match-refs' },
  { id: 'xen-preemptible', knobs: { relinquishGuard: 'none' }, invariant: 'relinquished-domain-holds-nothing' },
];

describe.each(CASES)('phased traces of $id', ({ id, knobs, invariant }) => {
  const design = findDesign(id)!;
  const result = runCampaign(design, {
    seed: 1,
    budget: { runs: 300 },
    scope: DEFAULT_SCOPE,
    knobs: { ...knobDefaults(design), ...knobs },
    invariants: INVARIANTS.filter((i) => i.id === invariant),
  });
  const items = campaignEntries(result, DEFAULT_SCOPE);
  const entry = items[0].entry;

  it('renders each phase with its continuation, index and name, and a preempted step as such', () => {
    const lines = traceLines(entry.trace, entry.trace.length - 1, []).join('\n');
    const last = entry.trace[entry.trace.length - 1].action;
    expect(last.op).toBe(CONTINUE);
    expect(actionText(last)).toBe(`continue ${String(last.cont)} phase=${String(last.phase)} (${String(last.at)})`);
    expect(lines).toContain(actionText(last));
    expect(resultText({ ok: false, err: 'ERESTART' })).toBe('ERESTART (continuation pending)');
  });

  it('saves to corpus JSON and replays to the same violation', () => {
    const { file } = saveEntry(tempDir(), design, entry);
    const loaded = loadEntryFile(file);
    expect(loaded.ok && loaded.entry).toEqual(entry);
    const r = replayFile(file);
    expect(r.status, r.reason).toBe('reproduced');
    expect(r.outcome?.kind === 'violation' && r.outcome.violations.find((v) => v.invariant === invariant)?.witnesses).toEqual(entry.witnesses);
  });

  it('exports ITF whose states carry the pending continuation, and imports and replays it', () => {
    const [file] = writeItfFiles(tempDir(), [{ design, entry }]);
    const itf = JSON.parse(readFileSync(file, 'utf8')) as { states: Record<string, unknown>[] };
    expect(JSON.stringify(itf.states)).toContain(String(entry.trace[entry.trace.length - 1].action.cont));
    const loaded = loadEntryFile(file);
    expect(loaded.ok && loaded.entry).toEqual(entry);
    expect(replayFile(file).status).toBe('reproduced');
  });
});
