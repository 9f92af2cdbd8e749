/**
 * `shadowcheck check`: bounded exhaustive (breadth-first) checking of the selected designs in each
 * one's small named scope (src/check/scopes.ts), to a depth bound, with symmetry reduction by
 * default. Prints, per design setting, the states explored and per invariant "holds to depth d" or
 * the shortest counterexample (the same trace format as fuzz; --save puts it in the corpus, where
 * `replay` re-runs it, and --out-itf exports it). Exit 0 when every verdict is as the design
 * expects, 1 otherwise (a state limit reached or a vacuous verdict is never as expected); Ctrl-C
 * stops at the next chunk of transitions and prints what was found (130).
 */
import type { Design } from '../model/core/design.ts';
import { knobDefaults } from '../model/core/design.ts';
import { settingsOf } from '../model/core/settings.ts';
import { runCheckAsync } from '../check/explore.ts';
import type { CheckCounterexample, CheckResult } from '../check/types.ts';
import { checkScopeOf, withOverrides } from '../check/scopes.ts';
import type { CorpusEntry } from '../trace/corpusEntry.ts';
import { entryFromCounterexample } from '../trace/corpusEntry.ts';
import type { SaveResult } from '../trace/corpusSave.ts';
import { DEFAULT_CORPUS_DIR, entryPath, saveEntry } from '../trace/corpusSave.ts';
import type { FlagTable } from './args.ts';
import { parseArgs, UsageError } from './args.ts';
import { EXIT_IO } from './exitCodes.ts';
import { FailedWrites, writeItfEach } from './failedWrites.ts';
import type { StopSignal } from './interrupt.ts';
import { interruptedExit, withInterrupt } from './interrupt.ts';
import { progressEnabled, progressLine } from './progress.ts';
import { buildCheckReport, renderCheckReport } from './checkReport.ts';
import { selectDesigns, selectInvariants, settingsFor } from './select.ts';

/** Default depth bound. */
export const DEFAULT_CHECK_DEPTH = 6;
/** Default state limit: a few hundred MB in the core scope. */
export const DEFAULT_MAX_STATES = 1_000_000;

/** Flags `check` accepts. */
export const CHECK_FLAGS = {
  design: { kind: 'list', value: 'ID', help: 'a design to check (repeatable; default all)' },
  invariant: { kind: 'list', value: 'ID', help: 'an invariant to check (repeatable; default all that apply)' },
  set: { kind: 'list', value: 'knob=value', help: 'a knob setting (repeatable); without it, defaults and variants' },
  'no-variants': { kind: 'bool', help: 'check each design with its defaults only, not its knob variants' },
  depth: { kind: 'int', min: 0, max: 1000, value: 'N', help: `longest trace explored (default ${DEFAULT_CHECK_DEPTH})` },
  scope: { kind: 'list', value: 'field=N', help: "override a field of the design's small scope (repeatable; pickLimit=N too)" },
  'max-states': { kind: 'int', min: 1, value: 'N', help: `stop, saying so, after N distinct states (default ${DEFAULT_MAX_STATES.toLocaleString('en')})` },
  'no-symmetry': { kind: 'bool', help: 'key states by their plain JSON: no renaming of interchangeable objects' },
  first: { kind: 'bool', help: 'stop at the first violation of any invariant' },
  json: { kind: 'bool', help: 'print one JSON document instead of the report' },
  save: { kind: 'bool', help: 'save each shortest violation to the corpus (replayable)' },
  corpus: { kind: 'string', value: 'DIR', help: 'corpus directory for --save (default corpus/)' },
  'out-itf': { kind: 'string', value: 'PATH', help: 'write counterexamples as ITF: PATH.json if one, else files under PATH' },
} as const satisfies FlagTable;

/** A check counterexample as a corpus entry (hints: its length; there is no seed). */
export function checkEntry(r: CheckResult, invariant: string, cx: CheckCounterexample): CorpusEntry {
  const entry = entryFromCounterexample(r.design, r.knobs, r.scope, invariant, { ...cx, kind: 'violation', seed: 0, originalLength: cx.trace.length });
  entry.hints = { originalLength: cx.trace.length };
  return entry;
}

/** The `check` command: returns the exit code. */
export async function checkCommand(argv: readonly string[], out: (s: string) => void): Promise<number> {
  const { flags, positional } = parseArgs(argv, CHECK_FLAGS);
  if (positional.length > 0) throw new UsageError(`check takes no positional arguments (got '${positional[0]}')`);
  const designs = selectDesigns(flags.design as string[] | undefined);
  const invariants = selectInvariants(flags.invariant as string[] | undefined);
  const sets = (flags.set as string[] | undefined) ?? [];
  const overrides = (flags.scope as string[] | undefined) ?? [];
  const depth = (flags.depth as number | undefined) ?? DEFAULT_CHECK_DEPTH;
  const maxStates = (flags['max-states'] as number | undefined) ?? DEFAULT_MAX_STATES;
  const jobs = designs.flatMap((design) => {
    const invs = invariants.filter((inv) => design.invariants.includes(inv.id));
    if (invs.length === 0) return [];
    const scope = withOverrides(checkScopeOf(design), overrides);
    if (typeof scope === 'string') throw new UsageError(scope);
    try {
      design.buildWorld(scope.scope, knobDefaults(design));
    } catch (e) {
      throw new UsageError(`${design.id} cannot build a world in scope ${scope.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return settingsFor(design, sets, designs, flags['no-variants'] !== true).map((knobs) => ({ design, knobs, invs, scope }));
  });
  if (jobs.length === 0) throw new UsageError('no selected design checks any selected invariant with those knobs');
  const line = progressLine(progressEnabled(process.env, process.stdout.isTTY === true, process.stderr.isTTY === true));
  let stoppedBy: () => StopSignal | undefined = () => undefined;
  const results: CheckResult[] = [];
  await withInterrupt(async (stop, signal) => {
    stoppedBy = signal;
    for (const [i, { design, knobs, invs, scope }] of jobs.entries()) {
      if (stop()) break;
      const name = `[${i + 1}/${jobs.length}] ${design.id}${settingsOf(design, knobs).map((s) => ` ${s}`).join('')}`;
      results.push(
        await runCheckAsync(design, {
          knobs,
          scope: scope.scope,
          scopeName: scope.name,
          pickLimit: scope.pickLimit,
          invariants: invs,
          depth,
          maxStates,
          reduction: flags['no-symmetry'] === true ? 'plain' : 'symmetry',
          stopAtFirst: flags.first === true,
          shouldStop: stop,
          onProgress: (p) => line.update(`${name}: depth ${p.depth}, ${p.states.toLocaleString('en')} states, ${Math.round((p.states * 1000) / Math.max(1, p.elapsedMs)).toLocaleString('en')} states/s`),
        }),
      );
    }
  });
  line.clear();
  const report = buildCheckReport(results);
  const failed = new FailedWrites();
  const found: { design: Design; entry: CorpusEntry; invariant: string; settings: string[] }[] = [];
  for (const r of results) {
    for (const v of r.verdicts) {
      if (v.counterexample?.kind === 'violation') found.push({ design: r.design, entry: checkEntry(r, v.invariant, v.counterexample), invariant: v.invariant, settings: settingsOf(r.design, r.knobs) });
    }
  }
  if (flags.save === true) {
    const dir = (flags.corpus as string | undefined) ?? DEFAULT_CORPUS_DIR;
    const saved: SaveResult[] = [];
    for (const f of found) {
      const s = failed.attempt(entryPath(dir, f.design, f.entry), () => saveEntry(dir, f.design, f.entry));
      if (s === undefined) continue;
      saved.push(s);
      const row = report.results.find((x) => x.design === f.design.id && x.invariant === f.invariant && x.settings.join(' ') === f.settings.join(' '));
      if (row !== undefined) row.corpusFile = s.file;
    }
    report.corpus = { dir, saved: saved.filter((s) => s.saved).map((s) => s.file), existing: saved.filter((s) => !s.saved).map((s) => s.file) };
  }
  const itf = flags['out-itf'] as string | undefined;
  if (itf !== undefined && found.length > 0) report.itf = writeItfEach(itf, found, failed);
  out(flags.json === true ? JSON.stringify(report, null, 2) : renderCheckReport(report, results));
  for (const l of failed.summary('counterexample files')) console.error(l);
  if (stoppedBy() !== undefined || results.length < jobs.length) return interruptedExit(stoppedBy());
  if (failed.any) return EXIT_IO;
  return report.ok ? 0 : 1;
}
