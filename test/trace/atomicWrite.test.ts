import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WriteIo } from '../../src/trace/atomicWrite.ts';
import { NODE_IO, writeAtomic } from '../../src/trace/atomicWrite.ts';
import { tempDir } from '../helpers/entries.ts';

describe('writeAtomic', () => {
  it('writes a new file and leaves no temp file behind', () => {
    const dir = tempDir();
    const file = join(dir, 'sub', 'a.json');
    writeAtomic(file, 'hello\n');
    expect(readFileSync(file, 'utf8')).toBe('hello\n');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['a.json']);
  });

  it('replaces an existing file whole', () => {
    const dir = tempDir();
    const file = join(dir, 'a.json');
    writeFileSync(file, 'old contents that are longer\n');
    writeAtomic(file, 'new\n');
    expect(readFileSync(file, 'utf8')).toBe('new\n');
  });

  it('leaves the existing file untouched and cleans up when the write fails half-way', () => {
    const dir = tempDir();
    const file = join(dir, 'a.json');
    writeFileSync(file, 'precious\n');
    // The disk fills up after half the text reached the temp file.
    const failing: WriteIo = {
      ...NODE_IO,
      writeNew(path, text) {
        NODE_IO.writeNew(path, text.slice(0, text.length / 2));
        throw new Error('ENOSPC: no space left on device');
      },
    };
    expect(() => writeAtomic(file, 'replacement text\n', failing)).toThrow(/ENOSPC/);
    expect(readFileSync(file, 'utf8')).toBe('precious\n');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('leaves the existing file untouched when the rename fails', () => {
    const dir = tempDir();
    const file = join(dir, 'a.json');
    writeFileSync(file, 'precious\n');
    const failing: WriteIo = {
      ...NODE_IO,
      rename() {
        throw new Error('EXDEV: cross-device link not permitted');
      },
    };
    expect(() => writeAtomic(file, 'replacement\n', failing)).toThrow(/EXDEV/);
    expect(readFileSync(file, 'utf8')).toBe('precious\n');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });
});
