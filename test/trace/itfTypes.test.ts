/**
 * Typed ITF over the whole committed corpus: every entry exported to ITF declares a type per variable
 * in `#meta.varTypes`, and every state's value of that variable has exactly that type (checked by a
 * parser of the type text, not by the exporter's own inference). Also: exports from before the typed
 * encoding still import and replay.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDesign } from '../../src/model/designs.ts';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import { listEntryFiles, loadEntryFile } from '../../src/trace/corpusLoad.ts';
import { RESULT_VAR, NONDET_PICKS } from '../../src/trace/itf.ts';
import type { ItfTrace } from '../../src/trace/itf.ts';
import { itfForEntry } from '../../src/trace/itfExport.ts';
import { cloneState } from '../../src/model/core/clone.ts';
import type { State } from '../../src/model/core/state.ts';
import { encodeItf } from '../../src/trace/itfValue.ts';
import { replayEntry, replayFile } from '../../src/trace/replay.ts';
import { misfit, parseType } from '../helpers/itfTypeCheck.ts';
import { raceEntry, tempDir } from '../helpers/entries.ts';

const CORPUS = join(import.meta.dirname, '../../corpus');

/** Every committed corpus entry as an ITF trace. */
function corpusTraces(): [string, ItfTrace][] {
  const { files } = listEntryFiles([CORPUS]);
  return files.map((file) => {
    const loaded = loadEntryFile(file);
    if (!loaded.ok) throw new Error(`${file}: ${loaded.reason}`);
    const design = findDesign(loaded.entry.design.id);
    if (design === undefined) throw new Error(`${file}: no design ${loaded.entry.design.id}`);
    return [file.slice(CORPUS.length + 1), itfForEntry(loaded.entry, design)];
  });
}

describe('typed ITF over the committed corpus', () => {
  const traces = corpusTraces();

  it('covers the corpus', () => {
    expect(traces.length).toBeGreaterThanOrEqual(50);
  });

  it.each(traces)('%s: each variable has its declared type in every state', (_file, itf) => {
    const varTypes = itf['#meta'].varTypes as Record<string, string>;
    expect(Object.keys(varTypes).sort()).toEqual([...itf.vars].sort());
    for (const v of itf.vars) {
      const ty = parseType(varTypes[v]);
      itf.states.forEach((s, i) => {
        expect(Object.keys(s).sort()).toEqual(['#meta', ...itf.vars].sort());
        expect(misfit(s[v], ty, `/states/${i}/${v}`)).toBeUndefined();
      });
    }
  });
});

describe('the type check itself', () => {
  it('catches the shapes the untyped export had', () => {
    const owner = parseType('{ dom: (None(UNIT) | Some(Int)), kind: Str }');
    expect(misfit({ kind: 'free' }, owner)).toMatch(/expected exactly the fields/);
    expect(misfit({ kind: 'free', dom: { tag: 'None', value: { '#tup': [] } } }, owner)).toBeUndefined();
    expect(misfit([], parseType('Int -> { mfn: Int }'))).toMatch(/expected a #map/);
    const result = parseType('Err(Str) | None(UNIT) | Ok(None(UNIT) | Some(Int))');
    expect(misfit({ tag: 'Ok', value: { '#bigint': '6' } }, result)).toMatch(/expected a variant/);
    expect(misfit({ tag: 'Ok', value: { tag: 'Some', value: { '#bigint': '6' } } }, result)).toBeUndefined();
  });
});

describe('ITF written before the typed encoding', () => {
  /** The race exported as the untyped writer did: each state encoded alone, Ok(n) or Ok(<<>>), only the picks an op takes, no varTypes. */
  function oldExport(): ItfTrace {
    const doc = JSON.parse(JSON.stringify(itfForEntry(raceEntry(), xenTranslateGpfn))) as ItfTrace;
    delete doc['#meta'].varTypes;
    const states: State[] = [];
    replayEntry(raceEntry(), { onState: (s) => void states.push(cloneState(s)) });
    const modelVars = Object.keys(states[0]);
    doc.states = doc.states.map((s, i) => {
      const out: Record<string, unknown> = { ...s };
      for (const v of modelVars) delete out[v];
      Object.assign(out, encodeItf(states[i]) as Record<string, unknown>);
      const r = s[RESULT_VAR] as { tag: string; value: { tag?: string; value?: unknown } };
      if (r.tag === 'Ok') out[RESULT_VAR] = { tag: 'Ok', value: r.value.tag === 'Some' ? r.value.value : { '#tup': [] } };
      const picks = { ...(s[NONDET_PICKS] as Record<string, { tag: string }>) };
      for (const k of Object.keys(picks)) if (picks[k].tag === 'None') delete picks[k];
      out[NONDET_PICKS] = picks;
      return out;
    });
    return doc;
  }

  it('differs from the typed export (so the test below is about the old encoding)', () => {
    const typed = itfForEntry(raceEntry(), xenTranslateGpfn);
    // Frame owners: {kind} for a free frame there, {kind, dom: None} here.
    expect(JSON.stringify(oldExport().states[0].frames)).not.toEqual(JSON.stringify(typed.states[0].frames));
  });

  it('imports the actions and answers, replays to the same verdict and compares its states in its own encoding', () => {
    const file = join(tempDir(), 'old.itf.json');
    writeFileSync(file, JSON.stringify(oldExport()));
    const loaded = loadEntryFile(file);
    expect(loaded.ok).toBe(true);
    if (loaded.ok) expect(loaded.entry).toEqual(raceEntry());
    const r = replayFile(file);
    expect(r.status).toBe('reproduced');
    expect(r.notes).toEqual([]);
  });
});
