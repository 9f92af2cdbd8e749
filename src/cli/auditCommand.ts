/**
 * `shadowcheck audit FILE [--against DESIGN] [--seed N] [--runs N | --time S] [--depth N] [--no-exhaustive]
 * [--json] [--junit FILE]`: fuzz a proposed design and its baseline with the same seed and budget,
 * explore both breadth-first to --depth in the baseline's small scope, replay the corpus on both,
 * replay every counterexample of either side on the other, and print which invariants the proposal
 * newly breaks or breaks differently (with a minimal trace), newly fixes, or leaves unchanged. Exit 0
 * as the baseline, 1 newly broken (or broken differently), 2 bad input or design file, 4 a harness
 * error (model or design-file code threw), 130/143 interrupted.
 */
import { OUTPUT_FORMATS } from '../trace/schemas/outputSchemas.ts';
import { DESIGNS, findDesign } from '../model/designs.ts';
import type { Budget } from '../fuzz/campaign.ts';
import { runAudit } from '../audit/audit.ts';
import { renderAudit } from '../audit/auditReport.ts';
import { loadDesignFile } from '../audit/designFile.ts';
import { auditJunit } from '../audit/junit.ts';
import { auditAnnotations, emitAnnotations } from './annotations.ts';
import { DEFAULT_SCOPE } from '../model/core/scope.ts';
import { writeAtomic } from '../trace/atomicWrite.ts';
import { listEntryFiles } from '../trace/corpusLoad.ts';
import { DEFAULT_CORPUS_DIR } from '../trace/corpusSave.ts';
import { writeAuditPages } from '../trace/html/writePages.ts';
import { reportPages } from './htmlPages.ts';
import type { FlagTable } from './args.ts';
import { parseArgs, UsageError } from './args.ts';
import { MAX_ACTIONS_FLAG, RUNS_FLAG, SEED_FLAG, STEP_TIMEOUT_FLAG, TIME_FLAG } from './budgetFlags.ts';
import { AUDIT_DEFAULT_RUNS } from '../audit/defaultBudget.ts';
import { AUDIT_DEFAULT_DEPTH, AUDIT_DEFAULT_MAX_STATES, smallScopeFor } from '../audit/exhaustive.ts';
import type { Design } from '../model/core/design.ts';
import type { Scope } from '../model/core/scope.ts';
import { EXIT_HARNESS, EXIT_IO, EXIT_OK, EXIT_UNEXPECTED } from './exitCodes.ts';
import { FailedWrites } from './failedWrites.ts';
import type { StopSignal } from './interrupt.ts';
import { interruptedExit, withInterrupt } from './interrupt.ts';
import { progressEnabled, progressLine, progressText } from './progress.ts';
import { CampaignWatchdog, DEFAULT_STEP_TIMEOUT_SECONDS } from './watchdog/watchdog.ts';
import { WORKERS_FLAG, workersOption } from './scheduleFlags.ts';
import { IN_PROCESS } from '../schedule/inProcess.ts';
import { runOneCampaign } from '../schedule/scheduler.ts';
import { TimeShare } from '../schedule/timeShare.ts';

/** Campaigns an audit runs in turn, sharing a --time budget: the baseline's, then the candidate's. */
const AUDIT_CAMPAIGNS = 2;

/** Flags `audit` accepts. */
export const AUDIT_FLAGS = {
  against: { kind: 'string', value: 'DESIGN', help: 'the baseline to compare with (default: the one the file names)' },
  seed: SEED_FLAG,
  runs: { ...RUNS_FLAG, help: `runs per campaign (at least 1; default ${AUDIT_DEFAULT_RUNS}, measured to find every shipped design's expected violations from seeds 1-20)` },
  time: TIME_FLAG,
  json: { kind: 'bool', help: 'print one JSON document instead of the report' },
  junit: { kind: 'string', value: 'FILE', help: 'also write JUnit XML (a test case per design and invariant)' },
  corpus: { kind: 'list', value: 'PATH', help: 'corpus file or directory to replay on both (repeatable; default corpus/)' },
  'max-actions': MAX_ACTIONS_FLAG,
  'step-timeout': STEP_TIMEOUT_FLAG,
  workers: WORKERS_FLAG,
  depth: { kind: 'int', min: 0, max: 1000, value: 'N', help: `exhaustive pass: every trace of at most N actions in the baseline's small scope (default ${AUDIT_DEFAULT_DEPTH})` },
  'max-states': { kind: 'int', min: 1, value: 'N', help: `exhaustive pass: stop each side after N distinct states, stating the depth completed (default ${AUDIT_DEFAULT_MAX_STATES.toLocaleString('en')})` },
  'no-exhaustive': { kind: 'bool', help: 'skip the exhaustive pass (the answer line says so)' },
  html: { kind: 'string', value: 'DIR', help: 'write a trace viewer page (HTML) per counterexample under DIR, baseline and candidate side by side' },
} as const satisfies FlagTable;

/** The exhaustive pass's flags for the re-run line: only what differs from the defaults. */
function exhaustiveFlags(x: { depth: number; maxStates: number } | undefined): string {
  if (x === undefined) return ' --no-exhaustive';
  return `${x.depth !== AUDIT_DEFAULT_DEPTH ? ` --depth ${x.depth}` : ''}${x.maxStates !== AUDIT_DEFAULT_MAX_STATES ? ` --max-states ${x.maxStates}` : ''}`;
}

/** The scope the exhaustive pass explored (for the HTML pages of its traces), if the baseline has one. */
function exhaustiveScopeOf(baseline: Design): Scope | undefined {
  const s = smallScopeFor(baseline);
  return typeof s === 'string' ? undefined : s.scope;
}

/** The `audit` command: returns the exit code. */
export async function auditCommand(argv: readonly string[], out: (s: string) => void): Promise<number> {
  const { flags, positional } = parseArgs(argv, AUDIT_FLAGS);
  if (positional.length !== 1) throw new UsageError(`audit takes one design file (a .ts module or a .json knob file), got ${positional.length}`);
  if (flags.runs !== undefined && flags.time !== undefined) throw new UsageError('give --runs or --time, not both');
  const file = positional[0];
  const loaded = await loadDesignFile(file);
  if (!loaded.ok) throw new UsageError(loaded.message);
  const baselineId = (flags.against as string | undefined) ?? loaded.baseline;
  if (baselineId === undefined) throw new UsageError(`${file}: the design names no baseline; give one with --against (valid: ${DESIGNS.map((d) => d.id).join(', ')})`);
  const baseline = findDesign(baselineId);
  if (baseline === undefined) throw new UsageError(`unknown baseline design '${baselineId}' (valid: ${DESIGNS.map((d) => d.id).join(', ')})`);
  if (baseline.id === loaded.design.id) throw new UsageError(`${file}: the proposal has the baseline's id '${baseline.id}'; give it its own`);

  const seed = (flags.seed as number | undefined) ?? 1;
  const budget: Budget = flags.time !== undefined ? { seconds: flags.time as number } : { runs: (flags.runs as number | undefined) ?? AUDIT_DEFAULT_RUNS };
  const scope = { ...DEFAULT_SCOPE, maxActions: (flags['max-actions'] as number | undefined) ?? DEFAULT_SCOPE.maxActions };
  const corpusPaths = (flags.corpus as string[] | undefined) ?? [DEFAULT_CORPUS_DIR];
  // A missing default corpus is no error (a fresh project has none); a corpus named explicitly must exist.
  const { files, missing, problems } = listEntryFiles(corpusPaths);
  if (missing.length > 0 && flags.corpus !== undefined) throw new UsageError(`no such corpus file or directory: ${missing.join(', ')}`);
  // Said, not silent, so audit and replay agree on what a missing corpus means.
  if (missing.length > 0) console.error(`shadowcheck: no ${DEFAULT_CORPUS_DIR}/ directory here: auditing without replaying a corpus`);

  if (flags['no-exhaustive'] === true && (flags.depth !== undefined || flags['max-states'] !== undefined)) throw new UsageError('--no-exhaustive takes no --depth or --max-states');
  const exhaustive = flags['no-exhaustive'] === true ? undefined : { depth: (flags.depth as number | undefined) ?? AUDIT_DEFAULT_DEPTH, maxStates: (flags['max-states'] as number | undefined) ?? AUDIT_DEFAULT_MAX_STATES };
  const line = progressLine(progressEnabled(process.env, process.stdout.isTTY === true, process.stderr.isTTY === true));
  let stoppedBy: () => StopSignal | undefined = () => undefined;
  const stepTimeout = (flags['step-timeout'] as number | undefined) ?? DEFAULT_STEP_TIMEOUT_SECONDS;
  const watchdog = stepTimeout > 0 ? new CampaignWatchdog(stepTimeout, workersOption(flags.workers as number | undefined, stepTimeout)) : undefined;
  // The proposal is loaded again inside the workers from its file; the baseline is found by id.
  const executor = watchdog?.executor((d) => (d === loaded.design ? { file } : { builtin: d.id })) ?? IN_PROCESS;
  // --time is for the whole audit: the baseline's campaign and the candidate's share it.
  const share = new TimeShare(budget, AUDIT_CAMPAIGNS);
  const result = await withInterrupt((stopRequested, signal) => {
    stoppedBy = signal;
    return runAudit({
      baseline,
      candidate: loaded.design,
      seed,
      budget,
      scope,
      corpusFiles: files,
      exhaustive,
      shouldStop: stopRequested,
      runCampaign: (d, o) => runOneCampaign(executor, d, { ...o, budget: share.next() }),
      onProgress: (p) => line.update(progressText(`auditing ${loaded.design.id}`, p)),
    });
  }).finally(() => watchdog?.close());
  line.clear();
  for (const p of problems) result.skipped.push(`${p.file}: ${p.reason}`);
  const budgetFlag = 'runs' in budget ? `--runs ${budget.runs}` : `--time ${budget.seconds}`;
  const command = `npx shadowcheck audit ${file}${flags.against !== undefined ? ` --against ${baseline.id}` : ''} --seed ${seed} ${budgetFlag}${exhaustiveFlags(exhaustive)}`;
  const junit = flags.junit as string | undefined;
  const failed = new FailedWrites();
  if (junit !== undefined) failed.attempt(junit, () => writeAtomic(junit, auditJunit(result, command)));
  const html = flags.html as string | undefined;
  const htmlExit = html === undefined ? 0 : reportPages(writeAuditPages(html, result, baseline, loaded.design, scope, command, exhaustiveScopeOf(baseline)));
  out(flags.json === true ? JSON.stringify({ format: OUTPUT_FORMATS.audit, tool: 'shadowcheck', ...result, command }, null, 2) : renderAudit(result, command));
  emitAnnotations(auditAnnotations(result, file, command), flags.json === true, out);
  for (const l of failed.summary()) console.error(l);
  if (result.interrupted || stoppedBy() !== undefined) return interruptedExit(stoppedBy());
  // The largest code that applies wins (exitCodes.ts): a harness error makes the verdicts inconclusive.
  if (result.errors.length > 0) return EXIT_HARNESS;
  if (failed.any || htmlExit !== 0) return EXIT_IO;
  return result.newlyBroken > 0 || result.brokenDifferently > 0 ? EXIT_UNEXPECTED : EXIT_OK;
}
