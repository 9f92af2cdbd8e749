/**
 * File-system failures in one line: which path, which errno, what it means — never a stack trace.
 * Every read and write of a corpus, trace or report file goes through here when it fails.
 */

/** A file-system failure the CLI reports in one line and answers with exit code 3. */
export class FsError extends Error {
  override name = 'FsError';
  /** @param path the file the operation was about @param code the errno name (`ENOSPC`) */
  constructor(
    message: string,
    readonly path: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Node's error for a failed system call (`ENOENT`, `EACCES`, …). */
export function isErrno(e: unknown): e is NodeJS.ErrnoException & { code: string } {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && /^E[A-Z0-9]+$/.test((e as NodeJS.ErrnoException).code!);
}

/** Plain words for the errnos a user meets; others are named by their code alone. */
const MEANING: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory',
  EIO: 'input/output error',
  ENOENT: 'no such file or directory',
  ELOOP: 'too many levels of symbolic links',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
};

/** "ENOSPC (no space left on device)". */
export function errnoText(e: unknown): string {
  if (!isErrno(e)) return e instanceof Error ? e.message.replace(/\s+/g, ' ') : String(e);
  const code = errnoCode(e);
  const meaning = MEANING[code];
  return meaning !== undefined ? `${code} (${meaning})` : code;
}

/**
 * The errno, as the user would name it: a recursive mkdir through a regular file answers EEXIST,
 * but what went wrong is that a part of the path is not a directory.
 */
function errnoCode(e: NodeJS.ErrnoException & { code: string }): string {
  return e.code === 'EEXIST' && e.syscall === 'mkdir' ? 'ENOTDIR' : e.code;
}

/** An FsError for `verb`ing `path` ("cannot write corpus/a.json: ENOSPC (no space left on device)"). */
export function fsError(verb: string, path: string, e: unknown): FsError {
  return new FsError(`cannot ${verb} ${path}: ${errnoText(e)}`, path, isErrno(e) ? errnoCode(e) : 'EUNKNOWN');
}
