/**
 * Colour in the reports: only when stdout is a terminal, never when `NO_COLOR` is set to anything
 * (no-color.org) or `TERM` is `dumb`. The reports are written as plain text; colour is laid over the
 * words that carry the news (UNEXPECTED, NOT as expected, NEWLY BROKEN, …) after the text has been
 * made printable, so no escape sequence from a file can ride along and a piped report is unchanged.
 */

/** Whether to colour stdout. */
export function colourEnabled(env: NodeJS.ProcessEnv, stdoutIsTty: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stdoutIsTty;
}

const RED = '\x1b[1;31m';
const YELLOW = '\x1b[33m';
const GREEN = '\x1b[32m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';

/** The words that get a colour, and which. */
const PAINT: readonly [RegExp, string][] = [
  [/\b(UNEXPECTED|NOT as expected|NEWLY BROKEN|ERROR|BAD INPUT|NO LONGER REPRODUCES|NONE reached)\b/g, RED],
  [/\b(STALE)\b|(✗)/g, YELLOW],
  [/\b(all \d+ verdicts as expected|the verdict is as expected|0 newly broken)\b/g, GREEN],
];

/** `text` with the news words coloured and section rules (`── …`) in bold. JSON is left alone. */
export function paint(text: string): string {
  if (text.startsWith('{')) return text;
  return text
    .split('\n')
    .map((line) => {
      let l = line;
      for (const [re, colour] of PAINT) l = l.replace(re, (m) => `${colour}${m}${RESET}`);
      return line.startsWith('── ') ? `${BOLD}${l}${RESET}` : l;
    })
    .join('\n');
}
