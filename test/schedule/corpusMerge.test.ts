import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { xenTranslateGpfn } from '../../src/model/core/designs/xenTranslateGpfn.ts';
import { entryPath, saveEntry } from '../../src/trace/corpusSave.ts';
import { readableJson } from '../../src/trace/entryJson.ts';
import { runCli } from '../helpers/cli.ts';
import { raceEntry, tempDir } from '../helpers/entries.ts';

describe('corpus merge', () => {
  it('writes the union; the same entry twice (hints aside) is one; a replay of the union reproduces it', async () => {
    const a = tempDir();
    const b = tempDir();
    const out = join(tempDir(), 'union');
    const entry = raceEntry();
    saveEntry(a, xenTranslateGpfn, entry);
    saveEntry(b, xenTranslateGpfn, { ...entry, hints: { ...entry.hints, seed: 999 } });
    const r = await runCli(['corpus', 'merge', a, b, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`merged 2 directories into ${out}: 1 entries, 1 new, 1 duplicates`);
    expect(readFileSync(entryPath(out, xenTranslateGpfn, entry), 'utf8')).toBe(readFileSync(entryPath(a, xenTranslateGpfn, entry), 'utf8'));
    expect((await runCli(['replay', out])).code).toBe(0);
  });

  it('refuses two different entries under one name with one clear line, and writes nothing', async () => {
    const a = tempDir();
    const b = tempDir();
    const out = join(tempDir(), 'union');
    const entry = raceEntry();
    saveEntry(a, xenTranslateGpfn, entry);
    const file = entryPath(b, xenTranslateGpfn, entry);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, readableJson({ ...entry, expect: { ...entry.expect, step: 0 } }));
    const r = await runCli(['corpus', 'merge', a, b, '--out', out]);
    expect(r.code).toBe(2);
    const lines = r.err.split('\n');
    expect(lines[0]).toMatch(/^shadowcheck: corpus merge: conflicting entries for xen-translate-gpfn\/.*\.json: .* and .* differ in 'expect'$/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a file whose name is not its content’s key, and says what merge needs', async () => {
    const a = tempDir();
    const entry = raceEntry();
    mkdirSync(join(a, 'x'));
    writeFileSync(join(a, 'x', 'renamed.json'), readableJson(entry));
    const r = await runCli(['corpus', 'merge', a, '--out', join(tempDir(), 'u')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("its name does not end in its content's key");
    expect((await runCli(['corpus', 'merge', a])).err).toContain('needs --out');
    expect((await runCli(['corpus', 'split'])).err).toContain("unknown corpus subcommand 'split'");
  });
});
