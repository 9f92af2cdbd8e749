/**
 * What `--html` says after writing viewer pages: one line on stderr naming where they went (stdout
 * stays the report, or the JSON document), one line per page that could not be written, and the
 * exit code that adds (3, a failed write; 0 otherwise).
 */
import type { PagesWritten } from '../trace/html/writePages.ts';
import { EXIT_IO, EXIT_OK } from './exitCodes.ts';
import { printableLine } from './printable.ts';

/** Report written and failed pages on stderr; returns the exit code they call for. */
export function reportPages(r: PagesWritten, err: (s: string) => void = (s) => console.error(printableLine(s))): number {
  if (r.written.length === 1) err(`trace viewer: wrote ${r.written[0]}`);
  else if (r.written.length > 1) err(`trace viewer: wrote ${r.written.length} pages (${r.written[0]} …)`);
  for (const f of r.failed) err(`shadowcheck: ${f}`);
  return r.failed.length > 0 ? EXIT_IO : EXIT_OK;
}
