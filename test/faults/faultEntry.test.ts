import { describe, expect, it } from 'vitest';
import { knobDefaults } from '../../src/model/core/design.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { runFaultCampaign } from '../../src/fuzz/faultSweep.ts';
import { checkEntry } from '../../src/trace/corpusLoad.ts';
import { entryFromFaultFinding } from '../../src/trace/faultEntry.ts';
import { replayEntry } from '../../src/trace/replay.ts';
import { leakOnFailure } from '../fixtures/designs/leakOnFailureMapGrant.ts';

const knobs = knobDefaults(leakOnFailure);
const finding = runFaultCampaign(leakOnFailure, { seed: 1, runs: 100, knobs }).findings.find((f) => f.invariant === 'refcounts-match-refs')!;
const entry = entryFromFaultFinding(leakOnFailure, knobs, DEFAULT_SCOPE, 1, finding)!;
const opts = { findDesign: (id: string) => (id === leakOnFailure.id ? leakOnFailure : undefined) };

describe('a fault-injection finding in the corpus format', () => {
  it('passes the entry schema, with the fault named on its step', () => {
    const json = JSON.parse(JSON.stringify(entry));
    expect(checkEntry(json).ok).toBe(true);
    expect(json.trace.filter((s: { fault?: unknown }) => s.fault !== undefined)).toHaveLength(1);
  });

  it('replays from the entry alone: the recorded failure is re-injected', () => {
    const r = replayEntry(JSON.parse(JSON.stringify(entry)), opts);
    expect(r.status).toBe('reproduced');
  });

  it('without its fault field the same trace no longer reproduces (the answer differs, the books balance)', () => {
    const stripped = JSON.parse(JSON.stringify(entry));
    for (const s of stripped.trace) delete s.fault;
    expect(checkEntry(stripped).ok).toBe(true);
    expect(replayEntry(stripped, opts).status).toBe('no-longer-reproduces');
  });

  it('a fault field of an unknown kind is refused by the schema', () => {
    const bad = JSON.parse(JSON.stringify(entry));
    bad.trace.find((s: { fault?: { point: string } }) => s.fault !== undefined).fault.point = 'cosmic-ray';
    expect(checkEntry(bad).ok).toBe(false);
  });
});
