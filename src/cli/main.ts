/**
 * The command-line entry point: dispatches to a command, answers `--help` (also per command) and
 * `--version`, and maps outcomes to the exit codes of exitCodes.ts. Every error is one line on
 * stderr — a usage error, a file that cannot be read or written (path and errno), or, for a bug in
 * shadowcheck itself, its message (the stack only with SHADOWCHECK_DEBUG=1).
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { FsError, errnoText, isErrno } from '../trace/fsError.ts';
import { SHADOWCHECK_VERSION } from '../trace/version.ts';
import { UsageError } from './args.ts';
import { auditCommand } from './auditCommand.ts';
import { corpusCommand } from './corpusCommand.ts';
import { checkCommand } from './checkCommand.ts';
import { EXIT_INTERNAL, EXIT_IO, EXIT_OK, EXIT_USAGE } from './exitCodes.ts';
import { explainCommand } from './explainCommand.ts';
import { faultsCommand } from './faultsCommand.ts';
import { fuzzCommand } from './fuzzCommand.ts';
import { commandHelp, HELP } from './help.ts';
import { listCommand } from './listCommand.ts';
import { printable, printableLine } from './printable.ts';
import { colourEnabled, paint } from './colour.ts';
import { replayCommand } from './replayCommand.ts';

/** Commands by name; each returns its exit code. */
const COMMANDS: Record<string, (argv: readonly string[], out: (s: string) => void) => number | Promise<number>> = {
  fuzz: fuzzCommand,
  check: checkCommand,
  replay: replayCommand,
  audit: auditCommand,
  explain: explainCommand,
  list: listCommand,
  corpus: corpusCommand,
  faults: faultsCommand,
};

/** Print to stdout. */
function toStdout(s: string): void {
  console.log(s);
}

/** The options before `--`: only those can ask for help or the version. */
function optionsPart(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--');
  return end < 0 ? argv : argv.slice(0, end);
}

/** One line on stderr, unprintable characters escaped. */
function complain(message: string): void {
  console.error(printableLine(`shadowcheck: ${message}`));
}

/**
 * Run the CLI with `argv` (without node and script); returns the exit code. Output goes to `out`
 * with unprintable characters escaped; errors go to stderr.
 */
export async function main(argv: readonly string[], out: (s: string) => void = toStdout): Promise<number> {
  // Colour goes on after escaping, and only on a terminal (colour.ts).
  const coloured = out === toStdout && colourEnabled(process.env, process.stdout.isTTY === true);
  const say = (s: string): void => out(coloured ? paint(printable(s)) : printable(s));
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' && rest[0] !== undefined ? commandHelp(rest[0]) : undefined;
    say(topic ?? HELP);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (command === '--version' || command === '-V') {
    say(SHADOWCHECK_VERSION);
    return EXIT_OK;
  }
  const run = COMMANDS[command];
  try {
    if (run === undefined) throw new UsageError(`unknown command '${command}' (valid: ${Object.keys(COMMANDS).join(', ')}; --help for more)`);
    const options = optionsPart(rest);
    if (options.includes('--help') || options.includes('-h')) {
      say(commandHelp(command) ?? HELP);
      return EXIT_OK;
    }
    if (options.includes('--version')) {
      say(SHADOWCHECK_VERSION);
      return EXIT_OK;
    }
    return await run(rest, say);
  } catch (e) {
    if (e instanceof UsageError) {
      complain(e.message);
      return EXIT_USAGE;
    }
    if (e instanceof FsError) {
      complain(e.message);
      return EXIT_IO;
    }
    if (isErrno(e)) {
      complain(`${e.path !== undefined ? `${e.path}: ` : ''}${errnoText(e)}`);
      return EXIT_IO;
    }
    const message = e instanceof Error ? e.message : String(e);
    complain(`internal error (a bug in shadowcheck; please report it): ${message}`);
    if (process.env.SHADOWCHECK_DEBUG === '1' && e instanceof Error && e.stack !== undefined) console.error(e.stack);
    return EXIT_INTERNAL;
  }
}

// Run when this file is the entry point (`tsx src/cli/main.ts`, as `npm start` does); the bin imports main().
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
