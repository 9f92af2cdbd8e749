import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { xenMapForDma } from '../../src/model/core/designs/xenMapForDma.ts';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import { knobDefaults } from '../../src/model/core/design.ts';
import { designDigest } from '../../src/trace/digest.ts';
import { saveEntry } from '../../src/trace/corpusSave.ts';
import { runCli as run } from '../helpers/cli.ts';
import { raceEntry, tempDir } from '../helpers/entries.ts';

/** Every file's bytes, to check that nothing was written or truncated. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const n of readdirSync(d, { withFileTypes: true })) {
      if (n.isDirectory()) walk(join(d, n.name));
      else out[join(d, n.name)] = readFileSync(join(d, n.name), 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('shadowcheck replay', () => {
  it('replays a good corpus: exit 0, one line per entry', async () => {
    const dir = tempDir();
    const { file } = saveEntry(dir, xenTranslateGpfn, raceEntry());
    const r = await run(['replay', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`reproduced            ${file}\n                        no-stale-reference violated at step 3, as recorded`);
    expect(r.out).toContain('1 reproduced, 0 no longer reproduce, 0 stale, 0 bad input');
  });

  it('bad input: one message per bad file naming its JSON path, exit 2, every other entry still replayed, no file touched', async () => {
    const dir = tempDir();
    const good = saveEntry(dir, xenTranslateGpfn, raceEntry()).file;
    const e = raceEntry();
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    const files: Record<string, [string, string]> = {
      'malformed.json': ['{"format": 1, "trace": [', 'malformed JSON'],
      'schema.json': [JSON.stringify({ ...e, trace: [{ result: { ok: true } }] }), "/trace/0: must have required property 'action'"],
      'unknown-design.json': [JSON.stringify({ ...e, design: { ...e.design, id: 'xen-gone' } }), "/design/id: unknown design 'xen-gone'"],
      'unknown-invariant.json': [JSON.stringify({ ...e, invariant: 'no-such' }), "/invariant: unknown invariant 'no-such'"],
      'unknown-op.json': [JSON.stringify({ ...e, trace: [{ ...e.trace[0], action: { ...e.trace[0].action, op: 'shadowSett' } }, ...e.trace.slice(1)] }), "/trace/0/action/op: design xen-translate-gpfn has no op 'shadowSett'"],
      'older.json': [JSON.stringify({ ...e, format: 0 }), 'format 0 is older than this build'],
      'newer.json': [JSON.stringify({ ...e, format: 9 }), '/format: format 9 was written by a newer shadowcheck'],
    };
    for (const [name, [text]] of Object.entries(files)) writeFileSync(join(bad, name), text);
    const before = snapshot(dir);
    const r = await run(['replay', dir]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`reproduced            ${good}`);
    for (const [name, [, message]] of Object.entries(files)) {
      const at = r.out.indexOf(join(bad, name));
      expect(at, name).toBeGreaterThan(0);
      expect(r.out.slice(at).split('\n')[1], name).toContain(message);
    }
    expect(r.out).toContain(`BAD INPUT             ${join(bad, 'malformed.json')}`);
    expect(r.out).toContain(`STALE                 ${join(bad, 'older.json')}`);
    expect(r.out).toContain('1 reproduced, 0 no longer reproduce, 1 stale, 6 bad input');
    expect(snapshot(dir)).toEqual(before);
  });

  it('--json gives the per-entry statuses and the exit code', async () => {
    const dir = tempDir();
    saveEntry(dir, xenTranslateGpfn, raceEntry());
    writeFileSync(join(dir, 'x.json'), '[]');
    const r = await run(['replay', dir, '--json']);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.out);
    expect(report.counts).toEqual({ reproduced: 1, 'no-longer-reproduces': 0, stale: 0, 'bad-input': 1 });
    expect(report.entries.find((x: { file: string }) => x.file.endsWith('x.json'))).toMatchObject({ status: 'bad-input', reason: '/: must be object' });
  });

  it('--out-itf writes the replayed traces, which replay again', async () => {
    const dir = tempDir();
    saveEntry(dir, xenTranslateGpfn, raceEntry());
    const itf = join(tempDir(), 'race.itf.json');
    const r = await run(['replay', dir, '--out-itf', itf]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`ITF trace written: ${itf}`);
    expect((await run(['replay', itf])).code).toBe(0);
  });

  it('--out-itf leaves out entries that did not reproduce', async () => {
    const dir = tempDir();
    const e = raceEntry();
    // Recorded one step later than it now happens: the replay stops before the last recorded step.
    writeFileSync(join(dir, 'late.json'), JSON.stringify({ ...e, trace: [...e.trace, { action: { op: 'gpuDma', client: 1, slot: 0, write: true }, result: { ok: true, value: 6 } }], expect: { verdict: 'violated', step: 3 } }));
    const out = join(tempDir(), 'itf');
    const r = await run(['replay', dir, '--out-itf', out]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('NO LONGER REPRODUCES');
    expect(r.out).not.toContain('ITF trace written');
  });

  it('--mark-fixed turns an entry a design fix removed into a recorded-fixed one (exit 1 before, 0 after)', async () => {
    const dir = tempDir();
    const e = raceEntry();
    // The race recorded as breaking map-for-DMA, which it does not (any more): the entry no longer reproduces.
    // Its knobs are map-for-DMA's (the translate design also has dom0IdentityCoversXen).
    const knobs = knobDefaults(xenMapForDma);
    saveEntry(dir, xenMapForDma, { ...e, knobs, design: { ...e.design, id: 'xen-map-for-dma', digest: designDigest(xenMapForDma, knobs) } });
    expect((await run(['replay', dir])).code).toBe(1);
    const r = await run(['replay', dir, '--mark-fixed']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/marked fixed: .*no-stale-reference-[0-9a-f]{8}\.json → /);
    expect(r.out).toContain('no-stale-reference holds, as recorded (fixed)');
    expect((await run(['replay', dir])).code).toBe(0);
  });

  it('a path that does not exist is a usage error', async () => {
    const r = await run(['replay', '/nonexistent/corpus']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('shadowcheck: no such file or directory: /nonexistent/corpus');
  });
});

describe('shadowcheck explain', () => {
  it('explains a saved entry (exit 0) and needs a file', async () => {
    const { file } = saveEntry(tempDir(), xenTranslateGpfn, raceEntry());
    const r = await run(['explain', file]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('3. populatePhysmap dom=0 gfn=4 mfn=6  → ok → 0x6   ✗ no-stale-reference');
    const none = await run(['explain']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^shadowcheck: explain needs a corpus entry or ITF file/);
  });
});
