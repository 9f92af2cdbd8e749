/**
 * `shadowcheck replay [FILE|DIR]...`: re-execute every saved counterexample (default: `corpus/`) and
 * report per entry: reproduced, no longer reproduces, stale, or bad input — each with its reason.
 * Exit 0 when all reproduce, 1 when one no longer reproduces or is stale, 2 when a file is bad input
 * (every other entry is still replayed). `--out-itf` writes the reproduced traces as ITF;
 * `--mark-fixed` rewrites entries whose violation a design fix removed as entries recorded as fixed.
 */
import { listEntryFiles } from '../trace/corpusLoad.ts';
import { DEFAULT_CORPUS_DIR } from '../trace/corpusSave.ts';
import { markFixed } from '../trace/markFixed.ts';
import type { ReplayResult, ReplayStatus } from '../trace/replay.ts';
import { replayFile } from '../trace/replay.ts';
import { OUTPUT_FORMATS } from '../trace/schemas/outputSchemas.ts';
import { writeAtomic } from '../trace/atomicWrite.ts';
import { replayJunit } from './replayJunit.ts';
import { emitAnnotations, replayAnnotations } from './annotations.ts';
import type { FlagTable } from './args.ts';
import { parseArgs, UsageError } from './args.ts';
import { EXIT_IO } from './exitCodes.ts';
import { printableLine } from './printable.ts';
import { FailedWrites, writeItfEach } from './failedWrites.ts';

/** Flags `replay` accepts. */
export const REPLAY_FLAGS = {
  json: { kind: 'bool', help: 'print one JSON document instead of the report' },
  'out-itf': { kind: 'string', value: 'PATH', help: 'write the entries that reproduced as ITF traces (naming as for fuzz)' },
  'mark-fixed': { kind: 'bool', help: 'rewrite entries a design fix removed as entries recorded as fixed' },
  junit: { kind: 'string', value: 'FILE', help: 'also write JUnit XML: a suite per design, a case per entry' },
} as const satisfies FlagTable;

/** Exit code contributed by one entry. */
const EXIT: Record<ReplayStatus, number> = { reproduced: 0, 'no-longer-reproduces': 1, stale: 1, 'bad-input': 2 };

const LABEL: Record<ReplayStatus, string> = {
  reproduced: 'reproduced',
  'no-longer-reproduces': 'NO LONGER REPRODUCES',
  stale: 'STALE',
  'bad-input': 'BAD INPUT',
};

/** The replay report (`--json` prints exactly this). */
export interface ReplayReport {
  /** The version of this document's shape; its JSON Schema is src/trace/schemas/replay.schema.json. */
  format: typeof OUTPUT_FORMATS.replay;
  tool: 'shadowcheck';
  entries: { file: string; status: ReplayStatus; reason: string; notes: string[]; design?: string; invariant?: string }[];
  counts: Record<ReplayStatus, number>;
  itf?: string[];
  /** With `--mark-fixed`: entries rewritten as fixed ("old → new"). */
  markedFixed?: string[];
  exitCode: number;
}

/** Replay files and build the report. */
export function replayReport(results: readonly ReplayResult[]): ReplayReport {
  const counts: Record<ReplayStatus, number> = { reproduced: 0, 'no-longer-reproduces': 0, stale: 0, 'bad-input': 0 };
  for (const r of results) counts[r.status] += 1;
  return {
    format: OUTPUT_FORMATS.replay,
    tool: 'shadowcheck',
    entries: results.map((r) => ({ file: r.file ?? '', status: r.status, reason: r.reason, notes: r.notes, design: r.entry?.design.id, invariant: r.entry?.invariant })),
    counts,
    exitCode: Math.max(0, ...results.map((r) => EXIT[r.status])),
  };
}

/** The human-readable replay report. */
export function renderReplay(report: ReplayReport, paths: readonly string[]): string {
  const out = [`shadowcheck replay — ${report.entries.length} entries from ${paths.join(', ')}`, ''];
  const width = Math.max(...Object.values(LABEL).map((l) => l.length));
  for (const e of report.entries) {
    out.push(`${LABEL[e.status].padEnd(width)}  ${printableLine(e.file)}`, `${' '.repeat(width)}    ${printableLine(e.reason)}`);
    for (const n of e.notes) out.push(`${' '.repeat(width)}    note: ${n}`);
  }
  for (const f of report.itf ?? []) out.push(`ITF trace written: ${f}`);
  for (const m of report.markedFixed ?? []) out.push(`marked fixed: ${m}`);
  const c = report.counts;
  out.push('', `${c.reproduced} reproduced, ${c['no-longer-reproduces']} no longer reproduce, ${c.stale} stale, ${c['bad-input']} bad input`);
  if (c.stale > 0) out.push('stale entries: regenerate the corpus with `npm run corpus` (see docs/corpus-replay-audit.md) or delete them');
  return out.join('\n');
}

/** The `replay` command: returns the exit code. */
export function replayCommand(argv: readonly string[], out: (s: string) => void): number {
  const { flags, positional } = parseArgs(argv, REPLAY_FLAGS);
  const paths = positional.length > 0 ? positional : [DEFAULT_CORPUS_DIR];
  const { files, missing, problems } = listEntryFiles(paths);
  if (positional.length === 0 && missing.length > 0) {
    throw new UsageError(`no ${DEFAULT_CORPUS_DIR}/ directory here, so nothing to replay: run from a checkout or name the entries (replay FILE|DIR...)`);
  }
  if (missing.length > 0) throw new UsageError(`no such file or directory: ${missing.join(', ')}`);
  // Replaying nothing would report success having checked nothing.
  if (files.length === 0 && problems.length === 0) throw new UsageError(`no entries to replay: no *.json file under ${paths.join(', ')}`);
  const unusable: ReplayResult[] = problems.map((p) => ({ file: p.file, status: 'bad-input', reason: p.reason, notes: [] }));
  // Each replay is timed for --junit.
  const ms = new Map<ReplayResult, number>();
  const timedReplay = (f: string): ReplayResult => {
    const start = performance.now();
    const r = replayFile(f);
    ms.set(r, performance.now() - start);
    return r;
  };
  let results = [...unusable, ...files.map(timedReplay)];
  const marked: string[] = [];
  const failed = new FailedWrites();
  if (flags['mark-fixed'] === true) {
    // Each rewritten entry is replayed again, so the report shows what the corpus holds now.
    results = results.map((r) => {
      const file = r.file !== undefined && !r.file.endsWith('.itf.json') ? failed.attempt(r.file, () => markFixed(r)) : undefined;
      if (file === undefined) return r;
      marked.push(`${r.file} → ${file}`);
      return timedReplay(file);
    });
  }
  const report = replayReport(results);
  if (marked.length > 0) report.markedFixed = marked;
  const outItf = flags['out-itf'] as string | undefined;
  if (outItf !== undefined) {
    // Only an entry that reproduced replays into exactly the states its trace describes.
    const exportable = results.filter((r) => r.status === 'reproduced' && r.entry !== undefined && r.design !== undefined);
    report.itf = writeItfEach(
      outItf,
      exportable.map((r) => ({ design: r.design!, entry: r.entry!, source: r.file })),
      failed,
    );
  }
  const junit = flags.junit as string | undefined;
  if (junit !== undefined) failed.attempt(junit, () => writeAtomic(junit, replayJunit(results, results.map((r) => ms.get(r) ?? 0))));
  out(flags.json === true ? JSON.stringify(report, null, 2) : renderReplay(report, paths));
  emitAnnotations(replayAnnotations(report), flags.json === true, out);
  for (const l of failed.summary()) console.error(l);
  return failed.any ? Math.max(report.exitCode, EXIT_IO) : report.exitCode;
}
