/**
 * Atomic file writes: the text goes to a temporary file in the same directory, is flushed, and is then
 * renamed over the target, so a reader sees the old file or the new one, never half of one — and a
 * write that fails leaves whatever was there before untouched.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The file-system calls an atomic write makes; tests swap one for a failing one. */
export interface WriteIo {
  mkdir(dir: string): void;
  /** Create `path` (failing if it exists), write `text`, flush it to disk. */
  writeNew(path: string, text: string): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
}

/** The real file system. */
export const NODE_IO: WriteIo = {
  mkdir: (dir) => void mkdirSync(dir, { recursive: true }),
  writeNew(path, text) {
    const fd = openSync(path, 'wx');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  rename: renameSync,
  unlink: unlinkSync,
};

let counter = 0;

/** Write `text` to `path` atomically (temp file + rename). Throws if the write fails; the target is then unchanged. */
export function writeAtomic(path: string, text: string, io: WriteIo = NODE_IO): void {
  const dir = dirname(path);
  io.mkdir(dir);
  // The prefix is in .gitignore, so a temp file left by a crash never reaches a commit.
  const temp = join(dir, `.shadowcheck-tmp-${process.pid}-${counter++}-${basename(path)}`);
  try {
    io.writeNew(temp, text);
    io.rename(temp, path);
  } catch (e) {
    try {
      io.unlink(temp);
    } catch {
      // The temp file was never created, or is already gone: nothing to clean up.
    }
    throw e;
  }
}
