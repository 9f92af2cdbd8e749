/**
 * `shadowcheck corpus merge DIR... --out DIR`: the union of corpus directories (one per CI shard, say)
 * in one, content-addressed (corpusMerge.ts); then `shadowcheck replay DIR` replays the union. Exit 0
 * merged, 2 a conflict or a bad entry (one line each, nothing written), 3 a file could not be written.
 */
import type { FlagTable } from './args.ts';
import { parseArgs, UsageError } from './args.ts';
import { EXIT_USAGE } from './exitCodes.ts';
import { mergeCorpora } from './corpusMerge.ts';
import { printableLine } from './printable.ts';

/** Flags `corpus merge` accepts. */
export const CORPUS_FLAGS = {
  out: { kind: 'string', value: 'DIR', help: 'the directory the union is written to (created if missing; entries already there are kept)' },
} as const satisfies FlagTable;

/** The `corpus` command: returns the exit code. */
export function corpusCommand(argv: readonly string[], out: (s: string) => void): number {
  const { flags, positional } = parseArgs(argv, CORPUS_FLAGS);
  const [sub, ...dirs] = positional;
  if (sub !== 'merge') throw new UsageError(sub === undefined ? 'corpus takes a subcommand: corpus merge DIR... --out DIR' : `unknown corpus subcommand '${sub}' (valid: merge)`);
  const target = flags.out as string | undefined;
  if (target === undefined) throw new UsageError('corpus merge needs --out DIR: where the union goes');
  if (dirs.length === 0) throw new UsageError('corpus merge needs at least one corpus directory to merge');
  const r = mergeCorpora(dirs, target);
  if (r.problems.length > 0) {
    for (const p of r.problems) console.error(printableLine(`shadowcheck: corpus merge: ${p}`));
    console.error(`shadowcheck: corpus merge: nothing written to ${target} (${r.problems.length} problem${r.problems.length === 1 ? '' : 's'})`);
    return EXIT_USAGE;
  }
  out(`merged ${dirs.length} director${dirs.length === 1 ? 'y' : 'ies'} into ${target}: ${r.entries} entries, ${r.written.length} new, ${r.duplicates} duplicates`);
  return 0;
}
