/**
 * Saving counterexamples to the corpus: one file per entry, named for what it holds
 * (`corpus/xen-translate-gpfn/no-stale-reference-<key>.json`, knob settings that differ from the
 * design's defaults in the name too), de-duplicated by (design digest, invariant, normalised trace) —
 * the key in the name is a hash of exactly that — validated against the schema and written atomically.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Design } from '../model/core/design.ts';
import { settingsOf } from '../model/core/settings.ts';
import type { WriteIo } from './atomicWrite.ts';
import { NODE_IO, writeAtomic } from './atomicWrite.ts';
import { shortHash } from './canonical.ts';
import type { CorpusEntry } from './corpusEntry.ts';
import { CORPUS_SCHEMA } from './corpusSchema.ts';
import { readableJson } from './entryJson.ts';
import { problemText, schemaProblem } from './validate.ts';

/** The corpus directory `fuzz --save` and `replay` use unless told otherwise. */
export const DEFAULT_CORPUS_DIR = 'corpus';

/**
 * The de-duplication key: a hash of the design digest, the invariant and the normalised trace (the
 * actions alone, keys sorted — answers and warnings follow from them).
 */
export function entryKey(entry: CorpusEntry): string {
  return shortHash({ digest: entry.design.digest, invariant: entry.invariant, actions: entry.trace.map((s) => s.action) }, 8);
}

/** The entry's path inside a corpus directory: `<design>/<invariant>[.<knob=value>…]-<key>.json`. */
export function entryPath(dir: string, design: Design, entry: CorpusEntry, suffix = '.json'): string {
  const knobs = settingsOf(design, entry.knobs).map((s) => `.${s}`).join('');
  return join(dir, entry.design.id, `${entry.invariant}${knobs}-${entryKey(entry)}${suffix}`);
}

/** What saving did: wrote a new file, or found the same entry already there. */
export interface SaveResult {
  file: string;
  saved: boolean;
}

/**
 * Save `entry` under `dir` unless the same entry is already there. The entry is checked against the
 * schema first (a failure is a bug in shadowcheck, thrown); the write is atomic.
 */
export function saveEntry(dir: string, design: Design, entry: CorpusEntry, io: WriteIo = NODE_IO): SaveResult {
  const problem = schemaProblem(CORPUS_SCHEMA, entry);
  if (problem !== undefined) throw new Error(`refusing to save a corpus entry that breaks the schema: ${problemText(problem)}`);
  const file = entryPath(dir, design, entry);
  if (existsSync(file)) return { file, saved: false };
  writeAtomic(file, readableJson(entry), io);
  return { file, saved: true };
}
