/**
 * The command-line entry point: dispatches to a command and maps outcomes to exit codes
 * (0 as expected, 1 unexpected verdict, 2 usage or input error).
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { UsageError } from './args.ts';
import { auditCommand } from './auditCommand.ts';
import { explainCommand } from './explainCommand.ts';
import { fuzzCommand } from './fuzzCommand.ts';
import { HELP } from './help.ts';
import { listText } from './listCommand.ts';
import { replayCommand } from './replayCommand.ts';

/** Commands by name; each returns its exit code. */
const COMMANDS: Record<string, (argv: readonly string[], out: (s: string) => void) => number | Promise<number>> = {
  fuzz: fuzzCommand,
  replay: replayCommand,
  audit: auditCommand,
  explain: explainCommand,
  list: (_argv, out) => {
    out(listText());
    return 0;
  },
};

/** Run the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], out: (s: string) => void = (s) => console.log(s)): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    out(HELP);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  try {
    if (run === undefined) throw new UsageError(`unknown command '${command}' (valid: ${Object.keys(COMMANDS).join(', ')})`);
    return await run(rest, out);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`shadowcheck: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

// Run when this file is the entry point (`tsx src/cli/main.ts`, as `npm start` does); the bin imports main().
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
