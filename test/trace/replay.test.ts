import { describe, expect, it } from 'vitest';
import { findDesign } from '../../src/model/designs.ts';
import type { Design } from '../../src/model/core/design.ts';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import { mapForDma } from '../../src/model/core/ops/dmaAddress.ts';
import { makeShadowSet } from '../../src/model/core/ops/dmaTableOps.ts';
import type { CorpusEntry } from '../../src/trace/corpusEntry.ts';
import { replayEntry } from '../../src/trace/replay.ts';
import { raceEntry } from '../helpers/entries.ts';

/** A registry where one design is replaced. */
function withDesign(replacement: Design): (id: string) => Design | undefined {
  return (id) => (id === replacement.id ? replacement : findDesign(id));
}

describe('replayEntry', () => {
  it('reproduces a fresh entry: same invariant, same step, same witnesses', () => {
    const r = replayEntry(raceEntry());
    expect(r.status).toBe('reproduced');
    expect(r.reason).toBe('no-stale-reference violated at step 3, as recorded');
    expect(r.notes).toEqual([]);
    expect(r.outcome?.kind === 'violation' && r.outcome.violations[0].witnesses).toEqual(raceEntry().witnesses);
  });

  it('no longer reproduces when the design stops breaking (model regression with the digest unchanged)', () => {
    // xen-translate-gpfn whose shadowSet maps for DMA — same op names and revisions, so the same digest.
    const fixed = { ...xenTranslateGpfn, ops: xenTranslateGpfn.ops.map((o) => (o.name === 'shadowSet' ? makeShadowSet(mapForDma) : o)) };
    const r = replayEntry(raceEntry(), { findDesign: withDesign(fixed) });
    expect(r.status).toBe('no-longer-reproduces');
    expect(r.reason).toBe(
      'recorded no-stale-reference violated at step 3; now no-stale-reference holds through all 3 steps; first difference: step 1 (shadowSet) now answers EOPNOTSUPP, recorded ok → 0x6',
    );
  });

  it('no longer reproduces when the violation moves to another step', () => {
    const e = raceEntry();
    const moved: CorpusEntry = { ...e, trace: [...e.trace, { action: { op: 'decreaseReservation', dom: 2, gfn: 0 }, result: { ok: true } }], expect: { verdict: 'violated', step: 3 } };
    const r = replayEntry(moved);
    expect(r.status).toBe('no-longer-reproduces');
    expect(r.reason).toMatch(/^recorded no-stale-reference violated at step 4; now no-stale-reference violated at step 3/);
  });

  it('is stale when an op changed revision, and says which — replaying anyway', () => {
    const bumped = { ...xenTranslateGpfn, ops: xenTranslateGpfn.ops.map((o) => (o.name === 'decreaseReservation' ? { ...o, rev: 2 } : o)) };
    const r = replayEntry(raceEntry(), { findDesign: withDesign(bumped) });
    expect(r.status).toBe('stale');
    expect(r.reason).toBe('design xen-translate-gpfn changed digest (op decreaseReservation changed (rev 0 → 2)) — replayed anyway: still reproduces');
  });

  it('is stale when an op was removed from the design', () => {
    const removed = { ...xenTranslateGpfn, ops: xenTranslateGpfn.ops.filter((o) => o.name !== 'decreaseReservation') };
    const r = replayEntry(raceEntry(), { findDesign: withDesign(removed) });
    expect(r.status).toBe('stale');
    expect(r.reason).toMatch(/op decreaseReservation was removed\); step 2: op decreaseReservation no longer exists — replayed anyway: no-stale-reference holds/);
  });

  it('is stale when an action no longer applies (its actor cannot issue it)', () => {
    const e = raceEntry();
    // dom4 is a spare id, never created: a guest that does not run cannot balloon.
    const dead: CorpusEntry = { ...e, trace: [e.trace[0], { action: { op: 'decreaseReservation', dom: 4, gfn: 0 }, result: { ok: true } }, e.trace[2]] };
    const r = replayEntry(dead);
    expect(r.status).toBe('stale');
    expect(r.reason).toMatch(/^step 2 \(decreaseReservation\) no longer applies: its actor cannot issue it/);
  });

  it('is bad input for an unknown design, invariant, op or knob value — naming the JSON path', () => {
    const e = raceEntry();
    expect(replayEntry({ ...e, design: { ...e.design, id: 'xen-nope' } }).reason).toBe("/design/id: unknown design 'xen-nope'");
    expect(replayEntry({ ...e, invariant: 'no-such-thing' }).reason).toBe("/invariant: unknown invariant 'no-such-thing'");
    const typo: CorpusEntry = { ...e, trace: e.trace.map((s, i) => (i === 1 ? { ...s, action: { ...s.action, op: 'decreaseReservaton' } } : s)) };
    expect(replayEntry(typo).reason).toBe("/trace/1/action/op: design xen-translate-gpfn has no op 'decreaseReservaton'");
    expect(replayEntry({ ...e, knobs: { checkTarget: 'yes' } }).reason).toBe('/knobs/checkTarget: knob checkTarget takes true | false, not "yes"');
    expect(replayEntry({ ...e, knobs: { ...e.knobs, extra: 1 } }).reason).toBe("/knobs/extra: design xen-translate-gpfn has no knob 'extra'");
    for (const bad of [{ ...e, invariant: 'no-such-thing' }, typo]) expect(replayEntry(bad).status).toBe('bad-input');
  });

  it('notes a changed answer or witness while the verdict still holds', () => {
    const e = raceEntry();
    const edited: CorpusEntry = {
      ...e,
      trace: e.trace.map((s, i) => (i === 2 ? { ...s, result: { ok: true, value: 7 } } : s)),
      witnesses: [{ ...e.witnesses[0], actual: 9 }],
    };
    const r = replayEntry(edited);
    expect(r.status).toBe('reproduced');
    expect(r.notes).toEqual(['step 3 (populatePhysmap) now answers ok → 0x6, recorded ok → 0x7', 'the witnesses differ from the recorded ones']);
  });

  it('replays an entry recorded as fixed: reproduced while the invariant holds, not once it breaks again', () => {
    const fixed: CorpusEntry = { ...raceEntry(), expect: { verdict: 'holds' }, witnesses: [], witnessText: [] };
    // On xen-translate-gpfn as it is, the race still breaks the invariant: the violation is back.
    const back = replayEntry(fixed);
    expect(back.status).toBe('no-longer-reproduces');
    expect(back.reason).toBe('recorded as fixed; now no-stale-reference violated at step 3');
    // A version whose allocator never reuses a freed frame (populatePhysmap refuses it) stays fixed.
    const noReuse = { ...xenTranslateGpfn, ops: xenTranslateGpfn.ops.map((o) => (o.name === 'populatePhysmap' ? { ...o, apply: () => ({ ok: false as const, err: 'ENOMEM' as const }) } : o)) };
    const stillFixed = replayEntry(fixed, { findDesign: withDesign(noReuse) });
    expect(stillFixed.status).toBe('reproduced');
    expect(stillFixed.reason).toBe('no-stale-reference holds, as recorded (fixed)');
    expect(stillFixed.notes).toEqual(['step 3 (populatePhysmap) now answers ENOMEM, recorded ok → 0x6']);
  });
});
