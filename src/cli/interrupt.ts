/**
 * Ctrl-C (SIGINT) and SIGTERM (what CI timeouts and `kill` send) during a long command: the first
 * asks the work to stop at the next boundary it polls — a chunk of a time-budgeted campaign, or the
 * next campaign of a `--runs` budget — so what was found is still saved and the report is printed;
 * a second signal exits at once, as a user pressing Ctrl-C twice expects.
 */
import { EXIT_SIGINT, EXIT_SIGTERM } from './exitCodes.ts';

/** Exit code of a command cut short by Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT = EXIT_SIGINT;

/** The signals that stop a command. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

const EXIT_FOR: Record<StopSignal, number> = { SIGINT: EXIT_SIGINT, SIGTERM: EXIT_SIGTERM };

/** The exit code for a command stopped by `signal` (130 for Ctrl-C, 143 for SIGTERM). */
export function interruptedExit(signal: StopSignal | undefined): number {
  return EXIT_FOR[signal ?? 'SIGINT'];
}

/**
 * Run `work` with SIGINT and SIGTERM handlers installed; `stopRequested()` turns true after the
 * first signal and `stoppedBy()` names it. The handlers are removed when the work settles.
 */
export async function withInterrupt<T>(
  work: (stopRequested: () => boolean, stoppedBy: () => StopSignal | undefined) => Promise<T>,
  say: (s: string) => void = (s) => void process.stderr.write(s),
): Promise<T> {
  let first: StopSignal | undefined;
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const onSignal = (): void => {
      if (first !== undefined) process.exit(EXIT_FOR[signal]);
      first = signal;
      const how = signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM';
      say(`\nshadowcheck: ${how}: stopping after the current chunk of runs, saving what was found (${how} again to quit at once)\n`);
    };
    process.on(signal, onSignal);
    return [signal, onSignal] as const;
  });
  try {
    const result = await work(
      () => first !== undefined,
      () => first,
    );
    // A signal that arrived during the last synchronous stretch of work is still pending: one turn of
    // the event loop delivers it to our handler rather than, once the handler is gone, killing the
    // process before the report is printed.
    await new Promise<void>((resolve) => setImmediate(resolve));
    return result;
  } finally {
    for (const [signal, h] of handlers) process.off(signal, h);
  }
}
