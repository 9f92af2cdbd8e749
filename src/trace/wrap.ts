/**
 * Wrapping report lines for an 80-column terminal. A line breaks at spaces, continuing under its own
 * indent plus four; a line holding a word too long for any line (a path) is left whole. A command line
 * (`npx shadowcheck …`) breaks with a trailing ` \` so it still pastes into a shell as one command.
 */

/** The width reports are wrapped to. */
export const REPORT_WIDTH = 80;

/** One line as several of at most `width` columns (where its words allow); spacing within a piece is kept. */
export function wrapLine(line: string, width = REPORT_WIDTH): string[] {
  if (line.length <= width) return [line];
  const indent = /^ */.exec(line)![0];
  // A word that cannot fit even on a continuation line (a long path) is not helped by breaking the
  // line: keep it whole beside its label, so `saved <file>` stays one greppable line.
  if (line.split(' ').some((w) => w.length > width - indent.length - 4)) return [line];
  const command = line.includes('npx shadowcheck ');
  const room = width - (command ? 2 : 0);
  const cont = `${indent}    `;
  const out: string[] = [];
  let rest = line;
  let first = true;
  while (rest.length > room) {
    const from = first ? indent.length : cont.length;
    let at = rest.lastIndexOf(' ', room);
    if (at <= from) at = rest.indexOf(' ', room);
    if (at < 0) break;
    const head = rest.slice(0, at).trimEnd();
    if (head.length <= from) break;
    out.push(command ? `${head} \\` : head);
    rest = cont + rest.slice(at + 1).trimStart();
    first = false;
  }
  out.push(rest);
  return out;
}

/** Every line of `lines` wrapped. */
export function wrapLines(lines: readonly string[], width = REPORT_WIDTH): string[] {
  return lines.flatMap((l) => l.split('\n')).flatMap((l) => wrapLine(l, width));
}
