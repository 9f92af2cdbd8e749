import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { xenMapForDma } from '../../src/model/core/designs/xenMapForDma.ts';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import { entryToItf, itfToEntry, ACTION_TAKEN, NONDET_PICKS, RESULT_VAR } from '../../src/trace/itf.ts';
import type { ItfTrace } from '../../src/trace/itf.ts';
import { itfForEntry, writeItfFiles } from '../../src/trace/itfExport.ts';
import { replayFile } from '../../src/trace/replay.ts';
import { entryFor, raceEntry, tempDir } from '../helpers/entries.ts';

describe('entry → ITF', () => {
  const itf = itfForEntry(raceEntry(), xenTranslateGpfn);

  it('has the ITF envelope and a state per step plus the initial one', () => {
    expect(itf['#meta'].format).toBe('ITF');
    expect(itf.vars).toEqual(['frames', 'domains', 'gpu', 'clock', 'adversary', ACTION_TAKEN, NONDET_PICKS, RESULT_VAR, 'shadowcheck::warnings']);
    expect(itf.states.map((s) => (s['#meta'] as { index: number }).index)).toEqual([0, 1, 2, 3]);
    expect(itf.states.map((s) => s[ACTION_TAKEN])).toEqual(['init', 'shadowSet', 'decreaseReservation', 'populatePhysmap']);
  });

  it('carries the action taken and the answer in each state, with tagged values', () => {
    const s1 = itf.states[1];
    // Every pick any step takes is in every state's record; the ones this step's op does not take are None.
    const none = { tag: 'None', value: { '#tup': [] } };
    expect(s1[NONDET_PICKS]).toEqual({
      client: { tag: 'Some', value: { '#bigint': '1' } },
      slot: { tag: 'Some', value: { '#bigint': '0' } },
      gfn: { tag: 'Some', value: { '#bigint': '0' } },
      dom: none,
      mfn: none,
    });
    expect(itf.states[0][NONDET_PICKS]).toEqual({ client: none, slot: none, gfn: none, dom: none, mfn: none });
    // Ok always carries an Option, so the answer has one type in every state.
    expect(s1[RESULT_VAR]).toEqual({ tag: 'Ok', value: { tag: 'Some', value: { '#bigint': '6' } } });
    expect(itf.states[2][RESULT_VAR]).toEqual({ tag: 'Ok', value: none });
    expect(itf.states[0][RESULT_VAR]).toEqual({ tag: 'None', value: { '#tup': [] } });
    // The model state: dom0's target list is a set; the DMA table a map holding slot 0 only after step 1.
    const dom0 = ((itf.states[0].domains as { '#map': [unknown, Record<string, unknown>][] })['#map'][0][1]);
    expect(dom0.targets).toEqual({ '#set': [{ '#bigint': '1' }, { '#bigint': '2' }] });
    expect(JSON.stringify(itf.states[1].gpu)).toContain('"addrKind":"mfn"');
    expect(JSON.stringify(itf.states[0].gpu)).not.toContain('addrKind');
  });

  it('refuses a state count that does not match the trace', () => {
    expect(() => entryToItf(raceEntry(), [])).toThrow(/needs 4 states, got 0/);
  });
});

describe('ITF → entry', () => {
  it('gives back exactly the entry that was exported', () => {
    const doc = JSON.parse(JSON.stringify(itfForEntry(raceEntry(), xenTranslateGpfn))) as ItfTrace;
    const r = itfToEntry(doc);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.entry).toEqual(raceEntry());
  });

  it.each([
    ['not shadowcheck ITF', (d: any) => delete d['#meta'].shadowcheck, /^\/#meta: must have required property 'shadowcheck'/],
    ['no states', (d: any) => (d.states = []), /^\/states: must NOT have fewer than 1 items/],
    ['action without a name', (d: any) => delete d.states[2][ACTION_TAKEN], /^\/states\/2: must have required property 'mbt::actionTaken'/],
    ['an argument that is not a number', (d: any) => (d.states[1][NONDET_PICKS].gfn = { tag: 'Some', value: { '#bigint': 'zero' } }), /^\/states\/1\/mbt::nondetPicks\/gfn\/value\/#bigint: must be a string of decimal digits/],
    ['an unknown result tag', (d: any) => (d.states[3][RESULT_VAR] = { tag: 'Maybe' }), /^\/states\/3\/shadowcheck::result\/tag: must be equal to one of the allowed values/],
    ['an initial result as a step result', (d: any) => (d.states[3][RESULT_VAR] = { tag: 'None', value: { '#tup': [] } }), /^\/states\/3\/shadowcheck::result: a step's result must be Ok or Err/],
    ['a metadata field the corpus schema refuses', (d: any) => (d['#meta'].shadowcheck.design.digest = 'x'), /^\/#meta\/shadowcheck\/design\/digest: must match pattern/],
    ['an argument of a shape actions cannot have', (d: any) => (d.states[1][NONDET_PICKS].gfn = { tag: 'Some', value: { '#map': [] } }), /^\/states\/1: .*\(at \/trace\/0\/action\/gfn of the trace it carries\)/],
  ])('reports %s at its path in the ITF document', (_name, corrupt, message) => {
    const doc = JSON.parse(JSON.stringify(itfForEntry(raceEntry(), xenTranslateGpfn)));
    corrupt(doc);
    const r = itfToEntry(doc);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(`${r.path}: ${r.message}`).toMatch(message);
  });

  it('reports an older format as such', () => {
    const doc = JSON.parse(JSON.stringify(itfForEntry(raceEntry(), xenTranslateGpfn)));
    doc['#meta'].shadowcheck.format = 0;
    const r = itfToEntry(doc);
    expect(!r.ok && r.olderFormat).toBe(0);
  });
});

describe('export ITF → import → replay', () => {
  it('gives the same verdict and witness as the entry', () => {
    const dir = tempDir();
    const [file] = writeItfFiles(join(dir, 'race.itf.json'), [{ design: xenTranslateGpfn, entry: raceEntry() }]);
    expect(file).toBe(join(dir, 'race.itf.json'));
    const r = replayFile(file);
    expect(r.status).toBe('reproduced');
    expect(r.notes).toEqual([]);
    expect(r.outcome?.kind === 'violation' && r.outcome.step).toBe(2);
    expect(r.outcome?.kind === 'violation' && r.outcome.violations[0].witnesses).toEqual(raceEntry().witnesses);
  });

  it('notes a recorded state that differs from the replayed one', () => {
    const dir = tempDir();
    const [file] = writeItfFiles(join(dir, 'race.itf.json'), [{ design: xenTranslateGpfn, entry: raceEntry() }]);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.states[2].clock = { '#bigint': '99' };
    writeFileSync(file, JSON.stringify(doc));
    const r = replayFile(file);
    expect(r.status).toBe('reproduced');
    expect(r.notes).toEqual(['ITF state 2 differs from the replayed one at clock.#bigint']);
  });

  it('writes several traces into a directory, named like corpus entries', () => {
    const dir = tempDir();
    const other = entryFor(xenMapForDma, 'no-foreign-reach', [{ op: 'shadowSet', client: 3, slot: 0, gfn: 0 }], { checkTarget: false });
    const files = writeItfFiles(join(dir, 'out.json'), [
      { design: xenTranslateGpfn, entry: raceEntry() },
      { design: xenMapForDma, entry: other },
    ]);
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(new RegExp(`^${join(dir, 'out')}/xen-translate-gpfn/no-stale-reference-[0-9a-f]{8}\\.itf\\.json$`));
    expect(files[1]).toMatch(new RegExp(`^${join(dir, 'out')}/xen-map-for-dma/no-foreign-reach\\.checkTarget=false-[0-9a-f]{8}\\.itf\\.json$`));
    expect(replayFile(files[1]).status).toBe('reproduced');
  });
});
