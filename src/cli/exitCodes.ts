/**
 * The exit codes of every command, in one place so `--help`, docs/cli.md and the tests agree. When
 * several apply, the largest wins: an interruption outranks a failed write, which outranks bad
 * input, which outranks an unexpected verdict.
 */

/** Every verdict is what its design expects (replay: every entry reproduced). */
export const EXIT_OK = 0;
/** An unexpected verdict (replay: an entry no longer reproduces or is stale; audit: newly broken). */
export const EXIT_UNEXPECTED = 1;
/** Usage or input error: a bad flag, or a file that is not a valid entry, trace or design. */
export const EXIT_USAGE = 2;
/** A file could not be written (ENOSPC, EROFS, ENOTDIR, EISDIR, EIO, …); the report still printed. An unreadable input is bad input (2). */
export const EXIT_IO = 3;
/**
 * A harness error: model, design-file or invariant code threw while an audit ran it (the report
 * names the op, its arguments, the step and the top of the stack, once). The verdicts it cut short are
 * inconclusive, so it is neither "as the baseline" nor "newly broken"; a crash of shadowcheck itself
 * outside the model is 70.
 */
export const EXIT_HARNESS = 4;
/** Stopped by Ctrl-C (SIGINT): 128 + 2, as shells report it. */
export const EXIT_SIGINT = 130;
/** Stopped by SIGTERM (what CI timeouts send): 128 + 15. */
export const EXIT_SIGTERM = 143;

/** A bug in shadowcheck itself (sysexits' EX_SOFTWARE): one line on stderr, the stack with SHADOWCHECK_DEBUG=1. */
export const EXIT_INTERNAL = 70;

/** Every code a command may return, for tests that check an exit code is a documented one. */
export const DOCUMENTED_EXIT_CODES: readonly number[] = [EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, EXIT_IO, EXIT_HARNESS, EXIT_INTERNAL, EXIT_SIGINT, EXIT_SIGTERM];

/** The exit-code paragraph of `--help`. */
export const EXIT_CODES_HELP = `Exit codes: ${EXIT_OK} as expected, ${EXIT_UNEXPECTED} an unexpected verdict, ${EXIT_USAGE} usage or input error,
  ${EXIT_IO} a file could not be written (the report is still printed, the files not written listed),
  ${EXIT_HARNESS} audit: model or design-file code threw (op, arguments, step and stack top reported once),
  ${EXIT_INTERNAL} a bug in shadowcheck (SHADOWCHECK_DEBUG=1 shows the stack), ${EXIT_SIGINT} stopped by Ctrl-C,
  ${EXIT_SIGTERM} stopped by SIGTERM.`;
