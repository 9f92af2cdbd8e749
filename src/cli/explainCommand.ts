/**
 * `shadowcheck explain FILE...`: a saved counterexample (corpus entry or ITF trace) step by step, with
 * what each step changed in ownership and the witness in words. Exit codes as for `replay`.
 */
import { explainFile } from '../trace/explain.ts';
import type { FlagTable } from './args.ts';
import { parseArgs, UsageError } from './args.ts';
import { reportPages } from './htmlPages.ts';
import { writeExplainPage } from '../trace/html/writePages.ts';

/** Flags `explain` accepts (`--help` is main's). */
export const EXPLAIN_FLAGS = {
  html: { kind: 'string', value: 'FILE', help: 'also write the trace viewer page (one HTML file) for the one entry given' },
} as const satisfies FlagTable;

/** The `explain` command: returns the exit code. */
export function explainCommand(argv: readonly string[], out: (s: string) => void): number {
  const { flags, positional } = parseArgs(argv, EXPLAIN_FLAGS);
  if (positional.length === 0) throw new UsageError('explain needs a corpus entry or ITF file (e.g. corpus/xen-translate-gpfn/no-stale-reference-….json)');
  const html = flags.html as string | undefined;
  if (html !== undefined && positional.length !== 1) throw new UsageError(`explain --html writes one page, for one entry; got ${positional.length} files`);
  let exit = 0;
  positional.forEach((file, i) => {
    const { text, exitCode } = explainFile(file);
    out(i > 0 ? `\n${text}` : text);
    exit = Math.max(exit, exitCode);
  });
  if (html !== undefined) exit = Math.max(exit, reportPages(writeExplainPage(html, positional[0])));
  return exit;
}
