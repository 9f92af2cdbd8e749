/**
 * `shadowcheck faults`: fault injection at the model's fallible points (docs/faults.md). A command of
 * its own rather than a fuzz flag because its loop is different: each generated trace is run once per
 * fallible point it reaches (`fail_nth`), and only the invariants a design is expected to hold are
 * judged — an error path that breaks one is a bug, whatever fuzz expects of the design otherwise.
 * Prints a line per design and knob setting and, for each finding, its shrunk trace with the failed
 * point named on its step. Exit 0 when every sound invariant holds on every error path, 1 otherwise.
 */
import { loadDesignFile } from '../audit/designFile.ts';
import type { Design } from '../model/core/design.ts';
import { FALLIBLE_POINTS } from '../model/core/faults.ts';
import type { KnobValues } from '../model/core/op.ts';
import type { FaultCampaignResult, FaultFinding, FaultMode } from '../fuzz/faultSweep.ts';
import { runFaultCampaign } from '../fuzz/faultSweep.ts';
import { traceLines, witnessLines } from '../trace/render.ts';
import type { FlagTable } from './args.ts';
import { parseArgs, UsageError } from './args.ts';
import { EXIT_OK, EXIT_UNEXPECTED } from './exitCodes.ts';
import { selectDesigns, settingsFor } from './select.ts';

/** The flags of `shadowcheck faults`. */
export const FAULTS_FLAGS = {
  design: { kind: 'list', value: 'ID', help: 'a design to inject faults into (repeatable; default all, or none with --design-file)' },
  'design-file': { kind: 'list', value: 'FILE', help: 'a design module to inject faults into, as audit loads it (repeatable)' },
  set: { kind: 'list', value: 'knob=value', help: 'a knob setting (repeatable; default: defaults and notable variants)' },
  seed: { kind: 'int', min: 0, max: 0xffffffff, value: 'N', help: 'seed of the generated traces and random faults (default 1)' },
  runs: { kind: 'int', min: 1, max: 100_000, value: 'N', help: 'generated traces per design and setting (default 100)' },
  random: { kind: 'number', min: 0.001, max: 1, value: 'RATE', help: 'fail each fallible point with probability RATE instead of the fail_nth sweep' },
  json: { kind: 'bool', help: 'print one JSON document instead of the report' },
} as const satisfies FlagTable;

/** "frame-alloc 78, maptrack-entry 13" for the points with a count. */
function pointCounts(counts: FaultCampaignResult['injected']): string {
  const parts = FALLIBLE_POINTS.filter((p) => (counts[p] ?? 0) > 0).map((p) => `${p} ${counts[p]}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** The steps of a finding, each failed point named under its step. */
function findingLines(f: FaultFinding): string[] {
  const lines: string[] = [];
  const steps = traceLines(f.trace, f.step, f.violations);
  let i = 0;
  for (const line of steps) {
    lines.push(line);
    if (/^\s+\d+\. /.test(line)) {
      const fault = f.trace[i]?.fault;
      if (fault !== undefined) lines.push(`      injected: fallible point ${fault.at} (${fault.point}) failed with ${fault.err}`);
      i += 1;
    }
  }
  if (f.message !== undefined) lines.push(`  harness error: ${f.message}`);
  return [...lines, ...witnessLines(f.violations)];
}

/** One design and setting's report lines. */
function resultLines(r: FaultCampaignResult, knobs: KnobValues): string[] {
  const head = `${r.design} ${JSON.stringify(knobs)}: ${r.executions} runs, failed ${pointCounts(r.injected)}`;
  if (r.findings.length === 0) return [`${head} — ${r.invariants.length} sound invariants hold on every error path`];
  const lines = [`${head} — ${r.findings.length} finding(s)`];
  for (const f of r.findings) {
    lines.push(`  ${f.invariant ?? 'harness error'} (run ${f.run}${f.nth !== undefined ? `, fail_nth=${f.nth}` : ''}), shrunk to ${f.trace.length} steps:`);
    lines.push(...findingLines(f).map((l) => `  ${l}`));
  }
  return lines;
}

/** Run `shadowcheck faults`; returns the exit code. */
export async function faultsCommand(argv: readonly string[], out: (s: string) => void): Promise<number> {
  const { flags, positional } = parseArgs(argv, FAULTS_FLAGS);
  if (positional.length > 0) throw new UsageError(`faults takes no positional arguments (got '${positional[0]}'); name designs with --design`);
  const ids = flags.design as string[] | undefined;
  const files = (flags['design-file'] as string[] | undefined) ?? [];
  const designs: Design[] = files.length > 0 && ids === undefined ? [] : selectDesigns(ids);
  for (const file of files) {
    const loaded = await loadDesignFile(file);
    if (!loaded.ok) throw new UsageError(loaded.message);
    designs.push(loaded.design);
  }
  const sets = (flags.set as string[] | undefined) ?? [];
  const seed = (flags.seed as number | undefined) ?? 1;
  const runs = (flags.runs as number | undefined) ?? 100;
  const mode: FaultMode = flags.random === undefined ? { kind: 'nth' } : { kind: 'random', rate: flags.random as number };
  const results: { result: FaultCampaignResult; knobs: KnobValues }[] = [];
  for (const design of designs) {
    for (const knobs of settingsFor(design, sets, designs, true)) results.push({ result: runFaultCampaign(design, { seed, runs, mode, knobs }), knobs });
  }
  const found = results.reduce((n, r) => n + r.result.findings.length, 0);
  if (flags.json === true) {
    out(JSON.stringify({ mode, seed, runs, findings: found, results: results.map((r) => r.result) }, null, 2));
  } else {
    const how = mode.kind === 'nth' ? 'fail_nth sweep' : `random faults at rate ${mode.rate}`;
    out(`faults: ${how}, ${runs} generated traces per design and setting, seed ${seed}`);
    for (const r of results) for (const line of resultLines(r.result, r.knobs)) out(line);
    out(found === 0 ? 'every sound invariant holds on every error path reached' : `${found} finding(s) on error paths`);
  }
  return found === 0 ? EXIT_OK : EXIT_UNEXPECTED;
}
