/**
 * The text of `shadowcheck --help` and of each `shadowcheck COMMAND --help`. A command's option lines
 * come from its flag table (see args.ts), so a new flag documents itself where it is declared.
 */
import type { FlagTable } from './args.ts';
import { flagHelp } from './args.ts';
import { AUDIT_FLAGS } from './auditCommand.ts';
import { CORPUS_FLAGS } from './corpusCommand.ts';
import { CHECK_FLAGS } from './checkCommand.ts';
import { EXIT_CODES_HELP } from './exitCodes.ts';
import { EXPLAIN_FLAGS } from './explainCommand.ts';
import { FAULTS_FLAGS } from './faultsCommand.ts';
import { FUZZ_FLAGS } from './fuzzCommand.ts';
import { LIST_FLAGS } from './listCommand.ts';
import { REPLAY_FLAGS } from './replayCommand.ts';

/** What `--help` says about one command. */
interface CommandHelp {
  usage: string;
  about: string;
  flags: FlagTable;
}

const COMMANDS: Record<string, CommandHelp> = {
  fuzz: {
    usage: `shadowcheck fuzz [--design ID]... [--invariant ID]... [--set knob=value]... [--seed N]
                 [--runs N | --time SECONDS] [--json] [--no-variants] [--max-actions N]
                 [--save | --no-save] [--corpus DIR] [--out-itf PATH] [--junit FILE]
                 [--show expected|situations|table|all]... [--workers N] [--shard k/n]`,
    about: `Fuzz each selected design (default: all) against each selected invariant (default: all that
apply). Without --set, each design runs with its defaults and with its notable knob variants.
Prints the verdict line, a line per campaign (unexpected ones first) and, for each unexpected
verdict, the shrunk trace, its witness in words and a line that reproduces it; expected violations
of known-bad designs are folded to one line each (--show expected unfolds them; see
docs/outputs.md). Exit 0 when every verdict is what the design expects, 1 otherwise.
--save writes each new shrunk violation to the corpus (DIR, default corpus/), de-duplicated;
a write that fails is reported with its path and errno, the run goes on, the findings that could
not be saved are listed, and the exit code is 3. On a terminal, a progress line on stderr.
Ctrl-C or SIGTERM stops at the next chunk of runs, saves what was found, prints the report
(exit 130/143). --workers N runs chunks of runs on N threads (default: the cores available) and
--shard k/n only part k of n of the work list (a CI matrix; docs/ci.md): neither changes a verdict.
--time is for the whole command, shared by every campaign.`,
    flags: FUZZ_FLAGS,
  },
  check: {
    usage: `shadowcheck check [--design ID]... [--invariant ID]... [--set knob=value]... [--depth N]
                  [--scope field=N]... [--max-states N] [--no-symmetry] [--first] [--json]
                  [--save] [--corpus DIR] [--out-itf PATH]`,
    about: `Bounded exhaustive check: explore breadth-first every trace of at most --depth actions (default
${'6'}) from each design's world in its small named scope (docs/check.md), states keyed canonically
with symmetry reduction. Per invariant: "holds for all traces of ≤ d actions in scope S" or the
shortest counterexample, in the trace format of fuzz (--save: to the corpus, replayable; --out-itf:
ITF). A holds whose design declares risky situations it never reached is "vacuous". Exit 0 when
every verdict is as the design expects, 1 otherwise or when --max-states cut the search short.
On a terminal, a progress line; Ctrl-C stops with what was found (exit 130).`,
    flags: CHECK_FLAGS,
  },
  replay: {
    usage: 'shadowcheck replay [FILE|DIR]... [--json] [--junit FILE] [--out-itf PATH] [--mark-fixed]',
    about: `Re-run saved counterexamples (default: corpus/; ITF files shadowcheck wrote are accepted) and
report each: reproduced, no longer reproduces, stale (the design changed digest, an action no
longer applies, an older format) or bad input, with the reason. Exit 0 all reproduced, 1 some
did not or are stale, 2 a file is bad input or there was nothing to replay (the other entries
are still replayed), 3 a file could not be written.`,
    flags: REPLAY_FLAGS,
  },
  audit: {
    usage: `shadowcheck audit FILE [--against DESIGN] [--seed N] [--runs N | --time SECONDS] [--json]
                  [--depth N | --no-exhaustive] [--junit FILE] [--corpus PATH]... [--max-actions N]`,
    about: `FILE is a proposed design: a TypeScript module default-exporting deriveDesign(baseline, {...}),
or a JSON knob file {"baseline", "id", "knobs"}. Fuzzes it and its baseline (the one it names,
or --against) with the same seed and budget, explores both breadth-first to --depth in the
baseline's small scope (the first line states that reach, or that there was none), replays every
counterexample of either side on the other and the corpus on both, and prints which invariants it newly breaks or breaks differently
(with a minimal trace), newly fixes (the baseline's trace no longer breaks it), or leaves unchanged.
Exit 0 as the baseline, 1 newly broken or broken differently, 2 bad input or design file, 3 a file
could not be written, 4 a harness error (the op, arguments, step and stack top are reported).`,
    flags: AUDIT_FLAGS,
  },
  explain: {
    usage: 'shadowcheck explain FILE... [--json]',
    about: `A saved counterexample (corpus entry or ITF trace) step by step: each action, its answer,
what changed in ownership (frames' owners, references and mappings; target lists), and the
witness in words. Exit codes as for replay.`,
    flags: EXPLAIN_FLAGS,
  },
  corpus: {
    usage: 'shadowcheck corpus merge DIR... --out DIR',
    about: `The union of corpus directories (one per CI shard, say) in --out, by content: an entry's file
name is the hash of what it holds, so the same name from two directories must be the same entry
(hints aside). A conflict, a bad entry or a misnamed one is one line each and nothing is written
(exit 2). Then \`shadowcheck replay DIR\` replays the union. See docs/ci.md.`,
    flags: CORPUS_FLAGS,
  },
  faults: {
    usage: `shadowcheck faults [--design ID]... [--set knob=value]... [--seed N] [--runs N]
                   [--random RATE] [--json]`,
    about: `Fault injection at the ops' fallible points (a frame, maptrack entry or page-table page
allocation, a copy from guest memory; docs/faults.md). Each generated trace runs once fault-free,
then once per fallible point it reaches with that point failing (fail_nth), or once with points
failing at random (--random). The invariants each design is expected to hold are checked after
every step; a violation is shrunk and printed with the failed point named on its step.
Exit 0 when they hold on every error path, 1 otherwise.`,
    flags: FAULTS_FLAGS,
  },
  list: {
    usage: 'shadowcheck list [--json]',
    about: 'Designs with their knobs and expected verdicts; invariants with their rationale.',
    flags: LIST_FLAGS,
  },
};

/** The names of the commands that have help, in the order `--help` lists them. */
export const HELP_COMMANDS: readonly string[] = Object.keys(COMMANDS);

/** Indent every line of a paragraph. */
function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

/** `shadowcheck COMMAND --help`: usage, what it does, its options, the exit codes. */
export function commandHelp(command: string): string | undefined {
  const c = COMMANDS[command];
  if (c === undefined) return undefined;
  const options = flagHelp(c.flags);
  return [
    `Usage: ${c.usage}`,
    '',
    c.about,
    '',
    'Options:',
    ...options,
    '  --help, -h  this help',
    '  --          end of options: what follows is a file name even if it starts with -',
    '',
    EXIT_CODES_HELP,
    '',
  ].join('\n');
}

/** The text of `shadowcheck --help`. */
export const HELP = `shadowcheck — property-based fuzzing and invariants for hypervisor memory-sharing interfaces

Usage:
${Object.values(COMMANDS)
  .map((c) => `${indent(c.usage, '  ')}\n${indent(c.about, '      ')}`)
  .join('\n')}
  shadowcheck --help | --version
  shadowcheck COMMAND --help       the options of one command

${EXIT_CODES_HELP}
`;
