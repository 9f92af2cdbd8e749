/**
 * The progress line of a long campaign: runs, checked steps per second and violations found so far,
 * redrawn in place on a terminal. Nothing at all when output is not a terminal or under CI, where a
 * log full of carriage returns helps nobody.
 */

/** Whether to draw a progress line: stdout and stderr are terminals and `CI` is not set to a true value. */
export function progressEnabled(env: NodeJS.ProcessEnv, stdoutIsTty: boolean, stderrIsTty: boolean): boolean {
  const ci = env.CI;
  const underCi = ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
  return stdoutIsTty && stderrIsTty && !underCi;
}

/** One progress report from a campaign. */
export interface Progress {
  runs: number;
  steps: number;
  elapsedMs: number;
}

/** The text of the line; the violation count is left out when the caller does not keep one. */
export function progressText(label: string, p: Progress, violationsSoFar?: number): string {
  const rate = p.elapsedMs > 0 ? Math.round((p.steps * 1000) / p.elapsedMs) : 0;
  const found = violationsSoFar === undefined ? '' : `, ${violationsSoFar} violations found so far`;
  return `${label}: ${p.runs.toLocaleString('en')} runs, ${rate.toLocaleString('en')} steps/s${found}`;
}

/** A line drawn in place on stderr; `clear` removes it before the report is printed. */
export interface ProgressLine {
  update(text: string): void;
  clear(): void;
}

/** The progress line for this process, or one that draws nothing. */
export function progressLine(enabled: boolean, write: (s: string) => void = (s) => void process.stderr.write(s), columns: number = process.stderr.columns ?? 80): ProgressLine {
  if (!enabled) return { update: () => {}, clear: () => {} };
  let shown = false;
  return {
    update(text) {
      // One terminal row at most: a wrapped line would not be erased by the next \r.
      write(`\r\x1b[K${text.length < columns ? text : `${text.slice(0, Math.max(0, columns - 2))}…`}`);
      shown = true;
    },
    clear() {
      if (shown) write('\r\x1b[K');
      shown = false;
    },
  };
}
