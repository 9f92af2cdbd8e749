import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { xenMapForDma } from '../../src/model/core/designs/xenMapForDma.ts';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import type { WriteIo } from '../../src/trace/atomicWrite.ts';
import { NODE_IO } from '../../src/trace/atomicWrite.ts';
import { entryKey, entryPath, saveEntry } from '../../src/trace/corpusSave.ts';
import { entryFor, raceEntry, tempDir } from '../helpers/entries.ts';

describe('corpus file names', () => {
  it('say the design, the invariant and the de-duplication key', () => {
    const e = raceEntry();
    expect(entryPath('corpus', xenTranslateGpfn, e)).toBe(`corpus/xen-translate-gpfn/no-stale-reference-${entryKey(e)}.json`);
    expect(entryKey(e)).toMatch(/^[0-9a-f]{8}$/);
  });

  it('name knob settings that differ from the defaults', () => {
    const e = entryFor(xenMapForDma, 'no-foreign-reach', [{ op: 'shadowSet', client: 3, slot: 0, gfn: 0 }], { checkTarget: false });
    expect(entryPath('corpus', xenMapForDma, e)).toMatch(/^corpus\/xen-map-for-dma\/no-foreign-reach\.checkTarget=false-[0-9a-f]{8}\.json$/);
  });

  it('key on the digest, the invariant and the actions — not on answers, witnesses or hints', () => {
    const e = raceEntry();
    const sameActions = { ...e, hints: { seed: 99 }, witnessText: [], trace: e.trace.map((s) => ({ ...s, result: { ok: true as const } })) };
    expect(entryKey(sameActions)).toBe(entryKey(e));
    expect(entryKey({ ...e, invariant: 'no-foreign-reach' })).not.toBe(entryKey(e));
    expect(entryKey({ ...e, design: { ...e.design, digest: 'sha256:0000000000000000' } })).not.toBe(entryKey(e));
    expect(entryKey({ ...e, trace: e.trace.slice(1) })).not.toBe(entryKey(e));
    // Key order inside an action does not matter: the trace is normalised.
    const reordered = { ...e, trace: e.trace.map((s) => ({ ...s, action: Object.fromEntries(Object.entries(s.action).reverse()) as typeof s.action })) };
    expect(entryKey(reordered)).toBe(entryKey(e));
  });
});

describe('saveEntry', () => {
  it('writes a readable file, one action per line, and de-duplicates', () => {
    const dir = tempDir();
    const first = saveEntry(dir, xenTranslateGpfn, raceEntry());
    expect(first.saved).toBe(true);
    const text = readFileSync(first.file, 'utf8');
    expect(JSON.parse(text)).toEqual(raceEntry());
    expect(text).toContain('\n    {"action":{"op":"shadowSet","client":1,"slot":0,"gfn":0},"result":{"ok":true,"value":6}},\n');
    const again = saveEntry(dir, xenTranslateGpfn, { ...raceEntry(), hints: { seed: 1234 } });
    expect(again).toEqual({ file: first.file, saved: false });
    expect(readdirSync(join(dir, 'xen-translate-gpfn'))).toHaveLength(1);
  });

  it('refuses to write an entry that breaks the schema', () => {
    const dir = tempDir();
    const bad = { ...raceEntry(), invariant: '' };
    expect(() => saveEntry(dir, xenTranslateGpfn, bad)).toThrow(/schema: \/invariant: must NOT have fewer than 1 characters/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never leaves a partial entry when the write fails', () => {
    const dir = tempDir();
    const failing: WriteIo = {
      ...NODE_IO,
      writeNew() {
        throw new Error('EIO');
      },
    };
    expect(() => saveEntry(dir, xenTranslateGpfn, raceEntry(), failing)).toThrow(/EIO/);
    expect(readdirSync(join(dir, 'xen-translate-gpfn'))).toEqual([]);
  });
});
