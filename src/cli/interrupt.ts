/**
 * Ctrl-C during a long command: the first SIGINT asks the work to stop at the next chunk boundary
 * (campaigns poll `stopRequested`), so what was found is still saved and reported; a second one
 * exits at once, as a user pressing it twice expects.
 */

/** Exit code of a command cut short by Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT = 130;

/**
 * Run `work` with a SIGINT handler installed; `stopRequested()` turns true after the first Ctrl-C.
 * The handler is removed when the work settles.
 */
export async function withInterrupt<T>(work: (stopRequested: () => boolean) => Promise<T>, say: (s: string) => void = (s) => void process.stderr.write(s)): Promise<T> {
  let signals = 0;
  const onSigint = (): void => {
    signals += 1;
    if (signals === 1) say('\nshadowcheck: stopping after the current chunk of runs (Ctrl-C again to quit at once)\n');
    else process.exit(INTERRUPTED_EXIT);
  };
  process.on('SIGINT', onSigint);
  try {
    return await work(() => signals > 0);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
