import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEntry, listEntryFiles, loadEntryFile } from '../../src/trace/corpusLoad.ts';
import { raceEntry, tempDir } from '../helpers/entries.ts';

type Json = Record<string, any>;

/** A corruption of a valid entry, and where the schema must say the problem is. */
interface BadCase {
  name: string;
  corrupt: (e: Json) => void;
  status: 'bad-input' | 'stale';
  reason: RegExp;
}

const BAD: BadCase[] = [
  { name: 'trace missing', corrupt: (e) => delete e.trace, status: 'bad-input', reason: /^\/: must have required property 'trace'/ },
  { name: 'trace not an array', corrupt: (e) => (e.trace = { 0: 1 }), status: 'bad-input', reason: /^\/trace: must be array/ },
  { name: 'action without op', corrupt: (e) => delete e.trace[1].action.op, status: 'bad-input', reason: /^\/trace\/1\/action: must have required property 'op'/ },
  { name: 'argument of the wrong type', corrupt: (e) => (e.trace[0].action.client = { dom: 1 }), status: 'bad-input', reason: /^\/trace\/0\/action\/client: / },
  { name: 'refusal without an error code', corrupt: (e) => (e.trace[2].result = { ok: false }), status: 'bad-input', reason: /^\/trace\/2\/result/ },
  { name: 'error code that is not one', corrupt: (e) => (e.trace[2].result = { ok: false, err: 'oops' }), status: 'bad-input', reason: /^\/trace\/2\/result\/err: must match pattern/ },
  { name: 'extra field in a step', corrupt: (e) => (e.trace[0].note = 'hi'), status: 'bad-input', reason: /^\/trace\/0: unexpected property 'note'/ },
  { name: 'malformed digest', corrupt: (e) => (e.design.digest = 'md5:abc'), status: 'bad-input', reason: /^\/design\/digest: must match pattern/ },
  { name: 'negative op revision', corrupt: (e) => (e.design.ops.shadowSet = -1), status: 'bad-input', reason: /^\/design\/ops\/shadowSet: must be >= 0/ },
  { name: 'unknown verdict', corrupt: (e) => (e.expect = { verdict: 'maybe', step: 2 }), status: 'bad-input', reason: /^\/expect\/verdict: must be "(violated|holds)"/ },
  { name: 'violating step past the trace', corrupt: (e) => (e.expect.step = 3), status: 'bad-input', reason: /^\/expect\/step: step 3 is past the end of the 3-step trace/ },
  { name: 'unknown top-level field', corrupt: (e) => (e.extra = true), status: 'bad-input', reason: /^\/: unexpected property 'extra'/ },
  { name: 'negative scope size', corrupt: (e) => (e.scope.spareDomains = -4), status: 'bad-input', reason: /^\/scope\/spareDomains: must be >= 0/ },
  { name: 'no frames at all', corrupt: (e) => (e.scope.frames = 0), status: 'bad-input', reason: /^\/scope\/frames: must be >= 1/ },
  { name: 'a hundred million frames', corrupt: (e) => (e.scope.frames = 1e8), status: 'bad-input', reason: /^\/scope\/frames: must be <= 4096/ },
  { name: 'a scope field a newer model might add, unbounded', corrupt: (e) => (e.scope.iommuContexts = 2 ** 40), status: 'bad-input', reason: /^\/scope\/iommuContexts: must be <= 4096/ },
  { name: 'a trace longer than --max-actions allows', corrupt: (e) => (e.trace = Array.from({ length: 1001 }, () => e.trace[0])), status: 'bad-input', reason: /^\/trace: must NOT have more than 1000 items/ },
  { name: 'a huge argument list', corrupt: (e) => (e.trace[0].action.pages = Array.from({ length: 5000 }, () => 1)), status: 'bad-input', reason: /^\/trace\/0\/action\/pages/ },
  { name: 'a megabyte of witness text', corrupt: (e) => (e.witnessText = ['x'.repeat(1e6)]), status: 'bad-input', reason: /^\/witnessText\/0: must NOT have more than 10000 characters/ },
  { name: 'knob value of the wrong type', corrupt: (e) => (e.knobs.checkTarget = { yes: true }), status: 'bad-input', reason: /^\/knobs\/checkTarget: must be string,number,boolean/ },
  { name: 'witness without a reason', corrupt: (e) => (e.witnesses = [{ mfn: 6 }]), status: 'bad-input', reason: /^\/witnesses\/0: must have required property 'reason'/ },
  { name: 'format as a string', corrupt: (e) => (e.format = '1'), status: 'bad-input', reason: /^\/format: must be 1/ },
  { name: 'newer format', corrupt: (e) => (e.format = 2), status: 'bad-input', reason: /^\/format: format 2 was written by a newer shadowcheck/ },
  { name: 'older format', corrupt: (e) => (e.format = 0), status: 'stale', reason: /format 0 is older than this build's 1/ },
];

describe('corpus entry checks (schema, format, facts)', () => {
  it('accepts the entry fuzz --save writes', () => {
    const r = checkEntry(JSON.parse(JSON.stringify(raceEntry())));
    expect(r.ok).toBe(true);
  });

  it.each(BAD)('rejects: $name', ({ corrupt, status, reason }) => {
    const e = JSON.parse(JSON.stringify(raceEntry())) as Json;
    corrupt(e);
    const r = checkEntry(e);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.status).toBe(status);
    expect(r.reason).toMatch(reason);
  });
});

describe('loadEntryFile', () => {
  it('says, on one line, where malformed JSON stops being JSON', () => {
    const dir = tempDir();
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{\n  "format": 1,\n  "trace": [\n    {"action": }\n  ]\n}\n');
    const r = loadEntryFile(file);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status).toBe('bad-input');
      expect(r.reason).toMatch(/^malformed JSON/);
      expect(r.reason).toContain('"action": }');
      expect(r.reason).not.toContain('\n');
    }
  });

  it('gives line and column when the parser reports a position', () => {
    const file = join(tempDir(), 'comma.json');
    writeFileSync(file, '{\n  "format": 1,\n}\n');
    const r = loadEntryFile(file);
    expect(!r.ok && r.reason).toMatch(/^malformed JSON at line 3, column 1: /);
  });

  it('reports a file it cannot read', () => {
    const r = loadEntryFile(join(tempDir(), 'absent.json'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^cannot read/);
  });

  it('reads a valid entry back', () => {
    const dir = tempDir();
    const file = join(dir, 'e.json');
    writeFileSync(file, JSON.stringify(raceEntry()));
    const r = loadEntryFile(file);
    expect(r.ok && r.origin).toBe('corpus');
    if (r.ok) expect(r.entry).toEqual(raceEntry());
  });
});

describe('listEntryFiles', () => {
  it('finds *.json recursively, sorted, skipping dot files (temp files of writes in progress)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'b.json'), '{}');
    writeFileSync(join(dir, 'a.json'), '{}');
    writeFileSync(join(dir, '.shadowcheck-tmp-1-a.json'), '{');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    const { files, missing } = listEntryFiles([dir, join(dir, 'nope')]);
    expect(files).toEqual([join(dir, 'a.json'), join(dir, 'b.json')]);
    expect(missing).toEqual([join(dir, 'nope')]);
  });
});
