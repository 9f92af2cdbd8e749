/**
 * `shadowcheck fuzz`: run campaigns over the selected designs (each with its knob settings) and
 * invariants, print the verdict table and shrunk traces (or one JSON document), and exit 0 when every
 * verdict matches its design's expectation, 1 otherwise. With `--save` each shrunk violation goes to
 * the corpus as it is found; `--out-itf` writes them as ITF traces. A time budget draws a progress
 * line on a terminal; Ctrl-C stops at the next chunk, keeps what was found and prints the report
 * (exit 130).
 */
import type { Invariant } from '../../invariants/types.ts';
import type { Design } from '../model/core/design.ts';
import { settingsOf } from '../model/core/settings.ts';
import type { Budget, CampaignResult } from '../fuzz/campaign.ts';
import { IN_PROCESS } from '../schedule/inProcess.ts';
import type { CampaignJob, ChunkExecutor } from '../schedule/scheduler.ts';
import { runSchedule } from '../schedule/scheduler.ts';
import type { Shard } from '../schedule/shard.ts';
import { shardJobs } from '../schedule/shard.ts';
import { DEFAULT_SCOPE } from '../model/core/scope.ts';
import type { Scope } from '../model/core/scope.ts';
import type { CampaignEntry } from '../trace/campaignEntries.ts';
import { campaignEntries } from '../trace/campaignEntries.ts';
import type { SaveResult } from '../trace/corpusSave.ts';
import { DEFAULT_CORPUS_DIR, entryPath, saveEntry } from '../trace/corpusSave.ts';
import { writeFuzzPages } from '../trace/html/writePages.ts';
import { reportPages } from './htmlPages.ts';
import { writeAtomic } from '../trace/atomicWrite.ts';
import { fuzzJunit } from './fuzzJunit.ts';
import { emitAnnotations, fuzzAnnotations } from './annotations.ts';
import type { FlagTable } from './args.ts';
import { parseArgs, UsageError } from './args.ts';
import { MAX_ACTIONS_FLAG, RUNS_FLAG, SEED_FLAG, STEP_TIMEOUT_FLAG, TIME_FLAG } from './budgetFlags.ts';
import { SHARD_FLAG, shardOption, WORKERS_FLAG, workersOption } from './scheduleFlags.ts';
import { EXIT_IO } from './exitCodes.ts';
import { FailedWrites, writeItfEach } from './failedWrites.ts';
import type { StopSignal } from './interrupt.ts';
import { interruptedExit, withInterrupt } from './interrupt.ts';
import type { Progress } from './progress.ts';
import { progressEnabled, progressLine, progressText } from './progress.ts';
import type { Report, ShowPart } from './report.ts';
import { buildReport, renderReport, SHOW_PARTS } from './report.ts';
import { selectDesigns, selectInvariants, settingsFor } from './select.ts';
import { adversarySets, levelDesigns, levelSettings } from './adversaryFlags.ts';
import { LEVEL_INVARIANT_IDS } from '../model/core/adversaryDesigns.ts';
import { CampaignWatchdog, DEFAULT_STEP_TIMEOUT_SECONDS } from './watchdog/watchdog.ts';

/** Runs per campaign when no budget is given: enough for every known-bad design to be caught from any seed. */
export const DEFAULT_RUNS = 1000;

/** Flags `fuzz` accepts. */
export const FUZZ_FLAGS = {
  design: { kind: 'list', value: 'ID', help: 'a design to fuzz (repeatable; default all)' },
  invariant: { kind: 'list', value: 'ID', help: 'an invariant to check (repeatable; default all that apply)' },
  set: { kind: 'list', value: 'knob=value', help: 'a knob setting (repeatable); without it, defaults and variants' },
  adversary: { kind: 'list', value: 'role=value', help: 'who is compromised or where the backend runs: backend|client|nonClient=compromised, backendPrivilege=control-domain (repeatable)' },
  levels: { kind: 'bool', help: "the level table: XenGT designs x every adversary setting x backend placement, levels 0-3 only" },
  seed: SEED_FLAG,
  runs: RUNS_FLAG,
  time: TIME_FLAG,
  json: { kind: 'bool', help: 'print one JSON document instead of the report' },
  'no-variants': { kind: 'bool', help: "run each design with its defaults only, not its knob variants" },
  save: { kind: 'bool', help: 'save each new shrunk violation to the corpus (npm start passes it)' },
  'no-save': { kind: 'bool', help: 'do not save (wins over --save)' },
  corpus: { kind: 'string', value: 'DIR', help: 'corpus directory for --save (default corpus/)' },
  'out-itf': { kind: 'string', value: 'PATH', help: 'write counterexamples as ITF: PATH.json if one, else files under PATH' },
  'max-actions': MAX_ACTIONS_FLAG,
  'step-timeout': STEP_TIMEOUT_FLAG,
  workers: WORKERS_FLAG,
  shard: SHARD_FLAG,
  junit: { kind: 'string', value: 'FILE', help: 'also write JUnit XML: a suite per campaign, a case per invariant' },
  show: { kind: 'list', value: 'PART', help: 'also show expected (traces of expected violations), situations, table, or all' },
  html: { kind: 'string', value: 'DIR', help: 'write a trace viewer page (HTML) per counterexample under DIR' },
} as const satisfies FlagTable;

/** Parsed fuzz options. */
export interface FuzzOptions {
  designs: Design[];
  invariants: Invariant[];
  sets: string[];
  seed: number;
  budget: Budget;
  json: boolean;
  variants: boolean;
  scope: Scope;
  /** Save shrunk violations to the corpus (`--save`, which `npm start` passes; `--no-save` wins). */
  save: boolean;
  corpusDir: string;
  /** Report parts shown in full (`--show`). */
  show: Set<ShowPart>;
  /** Where to write JUnit XML (`--junit`). */
  junit?: string;
  /** Where to write ITF traces of the counterexamples (`--out-itf`). */
  outItf?: string;
  /** Where to write a trace viewer page per counterexample (`--html`). */
  html?: string;
  /** The per-step watchdog's stall limit in seconds (`--step-timeout`); 0 runs campaigns in-process. */
  stepTimeout: number;
  /** `--levels`: every adversary setting and placement of the level matrix (levelTable.ts). */
  levels?: boolean;
  /** Worker threads (`--workers`; default the cores available). Results do not depend on it. */
  workers: number;
  /** This machine's part of the work list (`--shard k/n`); undefined: all of it. */
  shard?: Shard;
}

/** Parse `fuzz` arguments. Throws UsageError on anything unknown or malformed. */
export function parseFuzzArgs(argv: readonly string[]): FuzzOptions & { flags: Record<string, unknown> } {
  const { flags, positional } = parseArgs(argv, FUZZ_FLAGS);
  if (positional.length > 0) throw new UsageError(`fuzz takes no positional arguments (got '${positional[0]}')`);
  if (flags.runs !== undefined && flags.time !== undefined) throw new UsageError('give --runs or --time, not both');
  const budget: Budget = flags.time !== undefined ? { seconds: flags.time as number } : { runs: (flags.runs as number | undefined) ?? DEFAULT_RUNS };
  const levels = flags.levels === true;
  const designs = levels ? levelDesigns(selectDesigns(flags.design as string[] | undefined)) : selectDesigns(flags.design as string[] | undefined);
  const invariants = selectInvariants((flags.invariant as string[] | undefined) ?? (levels ? [...LEVEL_INVARIANT_IDS] : undefined));
  const scope = { ...DEFAULT_SCOPE, maxActions: (flags['max-actions'] as number | undefined) ?? DEFAULT_SCOPE.maxActions };
  return {
    designs,
    invariants,
    sets: [...((flags.set as string[] | undefined) ?? []), ...adversarySets(flags.adversary as string[] | undefined)],
    levels,
    seed: (flags.seed as number | undefined) ?? 1,
    budget,
    json: flags.json === true,
    variants: flags['no-variants'] !== true,
    scope,
    save: flags.save === true && flags['no-save'] !== true,
    corpusDir: (flags.corpus as string | undefined) ?? DEFAULT_CORPUS_DIR,
    outItf: flags['out-itf'] as string | undefined,
    junit: flags.junit as string | undefined,
    show: showParts(flags.show as string[] | undefined),
    html: flags.html as string | undefined,
    stepTimeout: (flags['step-timeout'] as number | undefined) ?? DEFAULT_STEP_TIMEOUT_SECONDS,
    workers: workersOption(flags.workers as number | undefined, flags['step-timeout'] as number | undefined),
    shard: shardOption(flags.shard as string | undefined),
    flags,
  };
}

/** The report parts `--show` names; `all` is every one. */
export function showParts(names: readonly string[] | undefined): Set<ShowPart> {
  const parts = new Set<ShowPart>();
  for (const name of names ?? []) {
    if (name === 'all') SHOW_PARTS.forEach((p) => parts.add(p));
    else if ((SHOW_PARTS as readonly string[]).includes(name)) parts.add(name as ShowPart);
    else throw new UsageError(`--show takes ${[...SHOW_PARTS, 'all'].join(', ')}, not '${name}'`);
  }
  return parts;
}

/** What a caller may watch or steer while campaigns run. */
export interface FuzzHooks {
  /** After each campaign, in work-list order (saving happens here, so Ctrl-C keeps what was found). */
  onCampaign?: (r: CampaignResult) => void;
  /** As each campaign starts: its name and place ("[3/25] rmrr-2014 [iommuPt=separate]"). */
  onCampaignStart?: (label: string) => void;
  /** During a campaign (after each chunk of runs): which campaign, and its progress. */
  onProgress?: (label: string, p: Progress) => void;
  /** Checked between chunks: stop starting campaigns and chunks, and report what was found. */
  shouldStop?: () => boolean;
  /** Where chunks run (the command passes its worker pool's); default in-process, one at a time. */
  executor?: ChunkExecutor;
}

/** "design [knob=value]". */
function label(design: Design, settings: string[]): string {
  return settings.length > 0 ? `${design.id} [${settings.join(' ')}]` : design.id;
}

/** The work list the options ask for: a campaign per design and knob setting, with the invariants it checks. */
export function fuzzJobs(opts: Pick<FuzzOptions, 'designs' | 'invariants' | 'sets' | 'variants' | 'levels'>): CampaignJob[] {
  return opts.designs.flatMap((design) => {
    const invariants = opts.invariants.filter((inv) => design.invariants.includes(inv.id));
    if (invariants.length === 0) return [];
    const settings = opts.levels === true ? levelSettings(design, opts.sets, opts.designs) : settingsFor(design, opts.sets, opts.designs, opts.variants);
    return settings.map((knobs) => ({ design, knobs, invariants }));
  });
}

/** Run every campaign the options ask for (this shard's part of them) on the hooks' executor. */
export async function runFuzz(opts: FuzzOptions, hooks: FuzzHooks = {}): Promise<Report> {
  const all = fuzzJobs(opts);
  if (all.length === 0) throw new UsageError('no selected design checks any selected invariant with those knobs');
  const jobs = opts.shard === undefined ? all : shardJobs(all, opts.shard);
  const names = jobs.map(({ design, knobs }) => label(design, settingsOf(design, knobs)));
  const named = (i: number): string => (jobs.length > 1 ? `[${i + 1}/${jobs.length}] ${names[i]}` : names[i]);
  const results = await runSchedule(
    jobs,
    {
      seed: opts.seed,
      budget: opts.budget,
      scope: opts.scope,
      shouldStop: hooks.shouldStop,
      onStart: (i) => hooks.onCampaignStart?.(named(i)),
      onProgress: hooks.onProgress && ((i, p) => hooks.onProgress!(named(i), p)),
      onCampaign: (_, r) => hooks.onCampaign?.(r),
    },
    hooks.executor ?? IN_PROCESS,
  );
  const report = buildReport(
    results.filter((r): r is CampaignResult => r !== undefined),
    opts.seed,
    opts.budget,
  );
  const notRun = names.filter((_, i) => results[i] === undefined);
  if (notRun.length > 0) report.notRun = notRun;
  return report;
}

/** Key of a report row or saved entry: design, knob settings, invariant. */
function rowKey(design: string, settings: readonly string[], invariant: string): string {
  return `${design}|${settings.join(' ')}|${invariant}`;
}

/** The `fuzz` command: returns the exit code. */
export async function fuzzCommand(argv: readonly string[], out: (s: string) => void): Promise<number> {
  const opts = parseFuzzArgs(argv);
  const line = progressLine(progressEnabled(process.env, process.stdout.isTTY === true, process.stderr.isTTY === true));
  const found: { design: Design; item: CampaignEntry }[] = [];
  const files = new Map<string, SaveResult>();
  let violationsSoFar = 0;
  const failed = new FailedWrites();
  let stoppedBy: () => StopSignal | undefined = () => undefined;
  const watchdog = opts.stepTimeout > 0 ? new CampaignWatchdog(opts.stepTimeout, opts.workers) : undefined;
  const report = await withInterrupt((stopRequested, signal) => {
    stoppedBy = signal;
    return runFuzz(opts, {
      shouldStop: stopRequested,
      executor: watchdog?.executor((design) => ({ builtin: design.id })),
      onCampaignStart: (name) => line.update(`${name}: starting`),
      onProgress: (name, p) => line.update(progressText(name, p, violationsSoFar)),
      onCampaign: (r) => {
        const items = campaignEntries(r, opts.scope);
        violationsSoFar += items.length;
        for (const item of items) {
          found.push({ design: r.design, item });
          if (!opts.save) continue;
          const saved = failed.attempt(entryPath(opts.corpusDir, r.design, item.entry), () => saveEntry(opts.corpusDir, r.design, item.entry));
          if (saved !== undefined) files.set(rowKey(r.design.id, settingsOf(r.design, r.knobs), item.invariant), saved);
        }
      },
    });
  }).finally(() => watchdog?.close());
  line.clear();
  if (opts.save) {
    const saved = [...files.values()];
    report.corpus = { dir: opts.corpusDir, saved: saved.filter((f) => f.saved).map((f) => f.file), existing: saved.filter((f) => !f.saved).map((f) => f.file) };
    for (const row of report.results) {
      const f = files.get(rowKey(row.design, row.settings, row.invariant));
      if (f !== undefined && row.counterexample !== undefined) row.counterexample.corpusFile = f.file;
    }
  }
  if (opts.outItf !== undefined && found.length > 0) {
    report.itf = writeItfEach(
      opts.outItf,
      found.map(({ design, item }) => ({ design, entry: item.entry })),
      failed,
    );
  }
  const htmlExit =
    opts.html === undefined
      ? 0
      : reportPages(writeFuzzPages(opts.html, found.map(({ design, item }) => ({ design, entry: item.entry, corpusFile: opts.save ? entryPath(opts.corpusDir, design, item.entry) : undefined }))));
  if (opts.junit !== undefined) {
    const junit = opts.junit;
    failed.attempt(junit, () => writeAtomic(junit, fuzzJunit(report)));
  }
  out(opts.json ? JSON.stringify(report, null, 2) : renderReport(report, { show: opts.show }));
  emitAnnotations(fuzzAnnotations(report), opts.json, out);
  for (const l of failed.summary('counterexample files')) console.error(l);
  // A signal during the last --runs campaign stops nothing, but the user asked: say so in the code.
  if (stoppedBy() !== undefined || report.notRun !== undefined || report.campaigns.some((c) => c.interrupted)) return interruptedExit(stoppedBy());
  if (failed.any || htmlExit !== 0) return EXIT_IO;
  return report.ok ? 0 : 1;
}
