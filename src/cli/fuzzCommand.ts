/**
 * `shadowcheck fuzz`: run campaigns over the selected designs (each with its knob settings) and
 * invariants, print the verdict table and shrunk traces (or one JSON document), and exit 0 when every
 * verdict matches its design's expectation, 1 otherwise.
 */
import type { Invariant } from '../../invariants/types.ts';
import type { Design } from '../designs/types.ts';
import type { Budget, CampaignResult } from '../fuzz/campaign.ts';
import { runCampaign } from '../fuzz/campaign.ts';
import { DEFAULT_SCOPE } from '../model/scope.ts';
import type { Scope } from '../model/scope.ts';
import { parseArgs, UsageError } from './args.ts';
import type { Report } from './report.ts';
import { buildReport, renderReport } from './report.ts';
import { selectDesigns, selectInvariants, settingsFor } from './select.ts';

/** Runs per campaign when no budget is given: enough for every known-bad design to be caught from any seed. */
export const DEFAULT_RUNS = 1000;

/** Flags `fuzz` accepts. */
export const FUZZ_FLAGS = {
  design: 'list',
  invariant: 'list',
  set: 'list',
  seed: 'int',
  runs: 'int',
  time: 'number',
  json: 'bool',
  'no-variants': 'bool',
  save: 'bool',
  'no-save': 'bool',
  'max-actions': 'int',
} as const;

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
}

/** Parse `fuzz` arguments. Throws UsageError on anything unknown or malformed. */
export function parseFuzzArgs(argv: readonly string[]): FuzzOptions & { flags: Record<string, unknown> } {
  const { flags, positional } = parseArgs(argv, FUZZ_FLAGS);
  if (positional.length > 0) throw new UsageError(`fuzz takes no positional arguments (got '${positional[0]}')`);
  if (flags.runs !== undefined && flags.time !== undefined) throw new UsageError('give --runs or --time, not both');
  const budget: Budget = flags.time !== undefined ? { seconds: flags.time as number } : { runs: (flags.runs as number | undefined) ?? DEFAULT_RUNS };
  const designs = selectDesigns(flags.design as string[] | undefined);
  const invariants = selectInvariants(flags.invariant as string[] | undefined);
  const scope = { ...DEFAULT_SCOPE, maxActions: (flags['max-actions'] as number | undefined) ?? DEFAULT_SCOPE.maxActions };
  return {
    designs,
    invariants,
    sets: (flags.set as string[] | undefined) ?? [],
    seed: (flags.seed as number | undefined) ?? 1,
    budget,
    json: flags.json === true,
    variants: flags['no-variants'] !== true,
    scope,
    flags,
  };
}

/** Run every campaign the options ask for. */
export function runFuzz(opts: FuzzOptions, hooks: { onCampaign?: (r: CampaignResult) => void } = {}): Report {
  const results: CampaignResult[] = [];
  let matched = false;
  for (const design of opts.designs) {
    const invariants = opts.invariants.filter((inv) => design.invariants.includes(inv.id));
    if (invariants.length === 0) continue;
    for (const knobs of settingsFor(design, opts.sets, opts.designs, opts.variants)) {
      matched = true;
      const r = runCampaign(design, { seed: opts.seed, budget: opts.budget, scope: opts.scope, knobs, invariants });
      results.push(r);
      hooks.onCampaign?.(r);
    }
  }
  if (!matched) throw new UsageError('no selected design checks any selected invariant with those knobs');
  return buildReport(results, opts.seed, opts.budget);
}

/** The `fuzz` command: returns the exit code. */
export function fuzzCommand(argv: readonly string[], out: (s: string) => void): number {
  const opts = parseFuzzArgs(argv);
  const report = runFuzz(opts);
  out(opts.json ? JSON.stringify(report, null, 2) : renderReport(report));
  return report.ok ? 0 : 1;
}
