import { describe, expect, it } from 'vitest';
import { findInvariant } from '../../invariants/registry.ts';
import { replayTrace } from '../../src/audit/crossReplay.ts';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import { knobDefaults } from '../../src/model/core/design.ts';
import type { Design } from '../../src/model/core/design.ts';
import { DEFAULT_SCOPE } from '../../src/model/core/scope.ts';
import { defineOp } from '../../src/model/core/op.ts';
import { replayEntry } from '../../src/trace/replay.ts';
import { runAudit } from '../../src/audit/audit.ts';
import { saveEntry } from '../../src/trace/corpusSave.ts';
import { raceEntry, tempDir } from '../helpers/entries.ts';

/** xen-translate-gpfn whose decreaseReservation took a new argument (`count`) after the entry was recorded. */
function withAddedArgument(): Design {
  const balloon = xenTranslateGpfn.ops.find((op) => op.name === 'decreaseReservation')!;
  const widened = defineOp({ ...balloon, apply: (state, args, ctx) => (typeof args.count === 'number' && args.count > 1 ? { ok: false, err: 'EINVAL' } : balloon.apply(state, args, ctx)) });
  return { ...xenTranslateGpfn, ops: xenTranslateGpfn.ops.map((op) => (op.name === 'decreaseReservation' ? widened : op)) };
}

describe('a recorded action lacking an argument its op now reads', () => {
  it('corpus replay calls the entry stale with the op, the step and the argument, and does not run it with undefined', () => {
    const d = withAddedArgument();
    const r = replayEntry(raceEntry(), { findDesign: () => d });
    expect(r.status).toBe('stale');
    expect(r.reason).toBe("step 2 (decreaseReservation) lacks argument 'count', which decreaseReservation now reads (its design added it after this trace was recorded) — not replayed past it");
    // The run stopped at the step: the populate after it never ran.
    expect(r.outcome?.trace.map((s) => s.action.op)).toEqual(['shadowSet']);
  });

  it('the unchanged design replays the same entry as reproduced (the guard reads nothing it should not)', () => {
    expect(replayEntry(raceEntry()).status).toBe('reproduced');
  });

  it("an audit's cross replay says the trace cannot run there, naming the argument", () => {
    const r = replayTrace(withAddedArgument(), knobDefaults(xenTranslateGpfn), DEFAULT_SCOPE, findInvariant('no-stale-reference')!, raceEntry().trace);
    expect(r.verdict).toBe('cannot run');
    expect(r.words).toContain("lacks argument 'count'");
  });

  it("an audit's corpus row for such an entry is not comparable — neither a fix nor a break — with the reason", async () => {
    const dir = tempDir();
    const saved = saveEntry(dir, xenTranslateGpfn, raceEntry());
    const candidate = { ...withAddedArgument(), id: 'translate-with-count' };
    const r = await runAudit({ baseline: xenTranslateGpfn, candidate, seed: 1, budget: { runs: 1 }, scope: DEFAULT_SCOPE, corpusFiles: [saved.file] });
    expect(r.corpus).toHaveLength(1);
    expect(r.corpus[0]).toMatchObject({ change: 'not comparable', baseline: 'violated at step 3' });
    expect(r.corpus[0].candidate).toContain("cannot run: step 2 (decreaseReservation) lacks argument 'count'");
  });
});
