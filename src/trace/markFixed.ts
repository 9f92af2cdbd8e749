/**
 * Keeping a fixed bug as a regression test: when an entry's violation no longer comes out because the
 * design was fixed, `replay --mark-fixed` rewrites it as an entry recorded as fixed — the same actions,
 * the answers and digest of the design as it is now, `"expect": {"verdict": "holds"}` — so a later
 * change that brings the violation back fails replay (and `audit` reports it newly broken).
 */
import { basename, dirname, join } from 'node:path';
import { unlinkSync } from 'node:fs';
import { writeAtomic } from './atomicWrite.ts';
import type { CorpusEntry } from './corpusEntry.ts';
import { CORPUS_SCHEMA } from './corpusSchema.ts';
import { entryPath } from './corpusSave.ts';
import { designDigest, opRevs } from './digest.ts';
import { readableJson } from './entryJson.ts';
import type { ReplayResult } from './replay.ts';
import { problemText, schemaProblem } from './validate.ts';
import { SHADOWCHECK_VERSION } from './version.ts';

/**
 * The fixed entry for a replay in which the recorded violation did not come out and the invariant held
 * through every recorded action; undefined when the replay does not show a fix.
 */
export function fixedEntry(r: ReplayResult): CorpusEntry | undefined {
  const { entry, design, knobs, outcome } = r;
  if (entry === undefined || design === undefined || knobs === undefined || outcome === undefined) return undefined;
  if (entry.expect.verdict !== 'violated' || !r.aligned || outcome.kind !== 'ok' || outcome.trace.length !== entry.trace.length) return undefined;
  if (r.status !== 'no-longer-reproduces' && r.status !== 'stale') return undefined;
  return {
    ...entry,
    shadowcheck: SHADOWCHECK_VERSION,
    design: { id: design.id, digest: designDigest(design, knobs), ops: opRevs(design) },
    knobs,
    expect: { verdict: 'holds' },
    trace: outcome.trace,
    witnesses: [],
    witnessText: [],
  };
}

/**
 * Rewrite `r.file` as its fixed entry, renamed for its new key in the same directory. The new file is
 * written (atomically) before the old one is removed. Returns the new path, or undefined if the replay
 * shows no fix.
 */
export function markFixed(r: ReplayResult): string | undefined {
  const fixed = fixedEntry(r);
  if (fixed === undefined || r.file === undefined || r.design === undefined) return undefined;
  const problem = schemaProblem(CORPUS_SCHEMA, fixed);
  if (problem !== undefined) throw new Error(`refusing to write a fixed entry that breaks the schema: ${problemText(problem)}`);
  const file = join(dirname(r.file), basename(entryPath('.', r.design, fixed)));
  writeAtomic(file, readableJson(fixed));
  if (file !== r.file) unlinkSync(r.file);
  return file;
}
