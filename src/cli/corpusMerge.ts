/**
 * `corpus merge`: the union of corpus directories — typically one per CI shard — in one directory.
 * Entries are content-addressed (their file name ends in the hash of design digest, invariant and
 * actions, corpusSave.ts), so the union is a copy by relative path: the same path from two sources is
 * the same entry when they agree on everything but their hints (seed, fast-check path: how it was
 * found, not what it is), and a conflict otherwise. Everything is checked before anything is written:
 * a conflict, a file that is no valid entry, or one whose name is not its content's key, and the merge
 * writes nothing.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeAtomic } from '../trace/atomicWrite.ts';
import { canonicalJson } from '../trace/canonical.ts';
import type { CorpusEntry } from '../trace/corpusEntry.ts';
import { listEntryFiles, loadEntryFile } from '../trace/corpusLoad.ts';
import { entryKey } from '../trace/corpusSave.ts';

/** One entry file found in a source directory. */
interface Found {
  file: string;
  rel: string;
  entry: CorpusEntry;
  text: string;
}

/** What a merge did, or why it did nothing. */
export interface MergeResult {
  /** One line per problem (conflict, bad file); when any, nothing was written. */
  problems: string[];
  /** Entry files written to the output directory (relative paths, sorted). */
  written: string[];
  /** Entries found more than once, or already in the output directory. */
  duplicates: number;
  /** Distinct entries in the union. */
  entries: number;
}

/** An entry without its hints, canonical: what two copies must agree on. */
function substance(entry: CorpusEntry): string {
  const { hints: _hints, ...rest } = entry;
  return canonicalJson(rest);
}

/** The first top-level field two entries differ in, for the conflict line. */
function firstDifference(a: CorpusEntry, b: CorpusEntry): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => k !== 'hints').sort();
  const differs = keys.find((k) => canonicalJson((a as unknown as Record<string, unknown>)[k]) !== canonicalJson((b as unknown as Record<string, unknown>)[k]));
  return differs ?? 'content';
}

/** Read every entry under `dir`, checking each; problems are added to `problems`. */
function readSource(dir: string, problems: string[]): Found[] {
  const { files, problems: walk } = listEntryFiles([dir]);
  for (const p of walk) problems.push(`${p.file}: ${p.reason}`);
  const out: Found[] = [];
  for (const file of files) {
    const loaded = loadEntryFile(file);
    if (!loaded.ok) {
      problems.push(`${file}: ${loaded.status === 'stale' ? 'stale: ' : ''}${loaded.reason}`);
      continue;
    }
    if (loaded.origin === 'itf') {
      problems.push(`${file}: an ITF trace, not a corpus entry (corpus merge copies entries fuzz --save wrote)`);
      continue;
    }
    const key = entryKey(loaded.entry);
    if (!file.endsWith(`-${key}.json`)) {
      problems.push(`${file}: its name does not end in its content's key -${key}.json (renamed or edited by hand?)`);
      continue;
    }
    out.push({ file, rel: relative(dir, file), entry: loaded.entry, text: readFileSync(file, 'utf8') });
  }
  return out;
}

/** Merge the entries of `sources` into `out` (which may already hold some). */
export function mergeCorpora(sources: readonly string[], out: string): MergeResult {
  const problems: string[] = [];
  for (const dir of sources) {
    if (!existsSync(dir)) problems.push(`${dir}: no such directory`);
    else if (!statSync(dir).isDirectory()) problems.push(`${dir}: not a directory (corpus merge takes corpus directories)`);
  }
  if (problems.length > 0) return { problems, written: [], duplicates: 0, entries: 0 };
  const union = new Map<string, Found>();
  let duplicates = 0;
  // The output directory's own entries come first: merging into an existing corpus keeps its files.
  const existing = existsSync(out) ? readSource(out, problems) : [];
  for (const f of existing) union.set(f.rel, f);
  const fresh = new Set<string>();
  for (const dir of sources) {
    for (const f of readSource(dir, problems)) {
      const known = union.get(f.rel);
      if (known === undefined) {
        union.set(f.rel, f);
        fresh.add(f.rel);
      } else if (substance(known.entry) === substance(f.entry)) {
        duplicates += 1;
      } else {
        problems.push(`conflicting entries for ${f.rel}: ${known.file} and ${f.file} differ in '${firstDifference(known.entry, f.entry)}'`);
      }
    }
  }
  if (problems.length > 0) return { problems, written: [], duplicates, entries: union.size };
  const written = [...fresh].sort();
  for (const rel of written) writeAtomic(join(out, rel), union.get(rel)!.text);
  return { problems, written, duplicates, entries: union.size };
}
