/**
 * Reading corpus files: find the entry files under the paths given, parse each, tell an ITF trace from
 * a corpus entry, check the format version and the schema. Every problem is reported for its file —
 * one bad file never stops the others from being read.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CorpusEntry } from './corpusEntry.ts';
import { FORMAT_VERSION } from './corpusEntry.ts';
import { CORPUS_SCHEMA } from './corpusSchema.ts';
import { isItf, itfToEntry } from './itf.ts';
import { problemText, schemaProblem } from './validate.ts';

/** Entry files under each path (a file, or a directory searched recursively for `*.json`), sorted. */
export function listEntryFiles(paths: readonly string[]): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      // Dot files include the temporary files of a write in progress.
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.json')) files.push(p);
    }
  };
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      missing.push(p);
      continue;
    }
    if (isDir) walk(p);
    else files.push(p);
  }
  return { files, missing };
}

/** What reading one file gave. */
export type Loaded =
  | { ok: true; entry: CorpusEntry; origin: 'corpus' | 'itf'; itfStates?: Record<string, unknown>[] }
  | { ok: false; status: 'bad-input' | 'stale'; reason: string };

/** "line 3, column 7" for a character offset, as JSON.parse reports positions. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/** Parse JSON, or say where it stops being JSON. */
function parseJson(text: string): { ok: true; data: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, data: JSON.parse(text) };
  } catch (e) {
    // V8 quotes the text around the error, newlines included: keep the message on one line.
    const msg = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ');
    const at = /position (\d+)/.exec(msg);
    return { ok: false, reason: `malformed JSON${at ? ` at ${lineColumn(text, Number(at[1]))}` : ''}: ${msg}` };
  }
}

/** Check a parsed corpus entry: format version, then schema, then the few facts the schema cannot say. */
export function checkEntry(data: unknown): Loaded {
  const format = (data as { format?: unknown } | null)?.format;
  if (typeof format === 'number' && Number.isInteger(format) && format !== FORMAT_VERSION) {
    if (format < FORMAT_VERSION) {
      return { ok: false, status: 'stale', reason: `format ${format} is older than this build's ${FORMAT_VERSION}; regenerate it (npm start)` };
    }
    return { ok: false, status: 'bad-input', reason: `/format: format ${format} was written by a newer shadowcheck (this build reads ${FORMAT_VERSION})` };
  }
  const p = schemaProblem(CORPUS_SCHEMA, data);
  if (p !== undefined) return { ok: false, status: 'bad-input', reason: problemText(p) };
  const entry = data as CorpusEntry;
  if (entry.expect.verdict === 'violated' && entry.expect.step >= entry.trace.length) {
    return { ok: false, status: 'bad-input', reason: `/expect/step: step ${entry.expect.step} is past the end of the ${entry.trace.length}-step trace` };
  }
  return { ok: true, entry, origin: 'corpus' };
}

/** Read one file: a corpus entry or an ITF trace shadowcheck wrote. */
export function loadEntryFile(file: string): Loaded {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, status: 'bad-input', reason: `cannot read: ${e instanceof Error ? e.message : String(e)}` };
  }
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, status: 'bad-input', reason: parsed.reason };
  if (!isItf(parsed.data)) return checkEntry(parsed.data);
  const imported = itfToEntry(parsed.data);
  if (imported.ok) {
    const checked = checkEntry(imported.entry);
    return checked.ok ? { ...checked, origin: 'itf', itfStates: imported.states } : checked;
  }
  if (imported.olderFormat !== undefined) {
    return { ok: false, status: 'stale', reason: `format ${imported.olderFormat} is older than this build's ${FORMAT_VERSION}; regenerate it` };
  }
  return { ok: false, status: 'bad-input', reason: `${imported.path || '/'}: ${imported.message}` };
}
