/**
 * Writes a command makes besides its report (corpus entries, ITF traces, JUnit files): a write that
 * fails — a full disk, a read-only file system, a path through a file — is said in one line naming
 * the path and the errno, and the command goes on, prints its report, lists what it could not save
 * and exits with code 3 instead of losing everything to a stack trace.
 */
import type { Design } from '../model/core/design.ts';
import type { CorpusEntry } from '../trace/corpusEntry.ts';
import { fsError, isErrno } from '../trace/fsError.ts';
import { writeItfFiles } from '../trace/itfExport.ts';
import { printableLine } from './printable.ts';

/** One write that failed. */
export interface FailedWrite {
  path: string;
  /** "cannot write corpus/a.json: ENOSPC (no space left on device)". */
  message: string;
}

/** The failed writes of one command. */
export class FailedWrites {
  readonly failures: FailedWrite[] = [];

  /** @param say where each failure is reported as it happens (stderr) */
  constructor(private readonly say: (line: string) => void = (l) => console.error(printableLine(l))) {}

  /**
   * Run `write` (which writes `path`); a file-system error is recorded and reported, and `undefined`
   * returned. Any other error is a bug and is rethrown.
   */
  attempt<T>(path: string, write: () => T): T | undefined {
    try {
      return write();
    } catch (e) {
      if (!isErrno(e)) throw e;
      const message = fsError('write', path, e).message;
      this.failures.push({ path, message });
      this.say(`shadowcheck: ${message}`);
      return undefined;
    }
  }

  /** Whether any write failed (the command then exits 3). */
  get any(): boolean {
    return this.failures.length > 0;
  }

  /** The closing summary: each path not written, for the user to re-run or free space and retry. */
  summary(what = 'files'): string[] {
    if (!this.any) return [];
    const n = this.failures.length;
    return [`shadowcheck: ${n} ${n === 1 ? what.replace(/s$/, '') : what} not written:`, ...this.failures.map((f) => `  ${printableLine(f.path)}`)];
  }
}

/**
 * `writeItfFiles`, one trace at a time, so a trace that cannot be written does not stop the next.
 * Names files exactly as `writeItfFiles` does; returns those written.
 */
export function writeItfEach(out: string, items: readonly { design: Design; entry: CorpusEntry; source?: string }[], failed: FailedWrites): string[] {
  if (out.endsWith('.json') && items.length === 1) return failed.attempt(out, () => writeItfFiles(out, items)) ?? [];
  // Not ending in .json, the directory keeps writeItfFiles in its one-file-per-trace naming.
  const dir = out.endsWith('.json') ? out.slice(0, -'.json'.length) : out;
  return items.flatMap((item) => failed.attempt(dir, () => writeItfFiles(dir, [item])) ?? []);
}
