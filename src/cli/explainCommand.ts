/**
 * `shadowcheck explain FILE...`: a saved counterexample (corpus entry or ITF trace) step by step, with
 * what each step changed in ownership and the witness in words. Exit codes as for `replay`; a file
 * that is bad input is said on stderr, the explanations of the others on stdout.
 */
import { explainFile } from '../trace/explain.ts';
import { explainJson } from '../trace/explainJson.ts';
import type { FlagTable } from './args.ts';
import { parseArgs, UsageError } from './args.ts';
import { EXIT_USAGE } from './exitCodes.ts';
import { reportPages } from './htmlPages.ts';
import { printableLine } from './printable.ts';
import { writeExplainPage } from '../trace/html/writePages.ts';

/** Flags `explain` accepts (`--help` is main's). */
export const EXPLAIN_FLAGS = {
  json: { kind: 'bool', help: 'print one JSON document (shadowcheck.explain/1) instead of the text' },
  html: { kind: 'string', value: 'FILE', help: 'also write the trace viewer page (one HTML file) for the one entry given' },
} as const satisfies FlagTable;

/** The `explain` command: returns the exit code. */
export function explainCommand(argv: readonly string[], out: (s: string) => void): number {
  const { flags, positional } = parseArgs(argv, EXPLAIN_FLAGS);
  if (positional.length === 0) throw new UsageError('explain needs a corpus entry or ITF file (e.g. corpus/xen-translate-gpfn/no-stale-reference-….json)');
  const html = flags.html as string | undefined;
  if (html !== undefined && positional.length !== 1) throw new UsageError(`explain --html writes one page, for one entry; got ${positional.length} files`);
  if (flags.json === true) {
    const doc = explainJson(positional);
    out(JSON.stringify(doc, null, 2));
    if (html === undefined || doc.exitCode === EXIT_USAGE) return doc.exitCode;
    return Math.max(doc.exitCode, reportPages(writeExplainPage(html, positional[0])));
  }
  let exit = 0;
  let printed = 0;
  for (const file of positional) {
    const { text, exitCode } = explainFile(file);
    exit = Math.max(exit, exitCode);
    if (exitCode === EXIT_USAGE) {
      console.error(printableLine(`shadowcheck: ${text}`));
      continue;
    }
    out(printed > 0 ? `\n${text}` : text);
    printed += 1;
  }
  // A file that is not a valid entry has had its one line already; there is no page to make of it.
  if (html !== undefined && exit !== EXIT_USAGE) exit = Math.max(exit, reportPages(writeExplainPage(html, positional[0])));
  return exit;
}
