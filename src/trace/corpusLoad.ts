/**
 * Reading corpus files: find the entry files under the paths given, parse each, tell an ITF trace from
 * a corpus entry, check the format version and the schema. Every problem is reported for its file —
 * one bad file never stops the others from being read.
 */
import type { Stats } from 'node:fs';
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CorpusEntry } from './corpusEntry.ts';
import { FORMAT_VERSION } from './corpusEntry.ts';
import { CORPUS_SCHEMA } from './corpusSchema.ts';
import { errnoText, isErrno } from './fsError.ts';
import { isItf, itfToEntry } from './itf.ts';
import { problemText, schemaProblem } from './validate.ts';

/** A path the walk could not use, with why (a dangling link, a loop, a name that is not UTF-8, EACCES). */
export interface WalkProblem {
  file: string;
  reason: string;
}

/** What walking the corpus paths found. */
export interface EntryFiles {
  /** Entry files, in walk order (each directory sorted). */
  files: string[];
  /** Paths named on the command line that do not exist. */
  missing: string[];
  /** Paths inside the walk that could not be used; every other file is still listed. */
  problems: WalkProblem[];
}

/** A directory's identity, so a directory reached twice (through a symlink loop) is walked once. */
function dirKey(st: Stats): string {
  return `${st.dev}:${st.ino}`;
}

/** The stat of `p` following links, or the errno it failed with. */
function statOrErrno(p: string): Stats | string {
  try {
    return statSync(p);
  } catch (e) {
    return isErrno(e) ? e.code : String(e);
  }
}

/** Why a path that stat could not follow is unusable, in words. */
function statProblem(p: string, code: string): string {
  if (code === 'ENOENT') {
    try {
      if (lstatSync(p).isSymbolicLink()) return `dangling symbolic link to ${readlinkSync(p)}`;
    } catch {
      // Gone between the two calls: say what stat said.
    }
  }
  if (code === 'ELOOP') return 'symbolic link loop (ELOOP)';
  return `cannot read: ${errnoText(Object.assign(new Error(code), { code }))}`;
}

/**
 * Entry files under each path (a file, or a directory searched recursively for `*.json`). Symbolic
 * links are followed; a dangling link, a link loop, a directory reached twice, a name that is not
 * valid UTF-8 or an unreadable directory is reported as a problem for that path alone, so one odd
 * file never hides the others.
 */
export function listEntryFiles(paths: readonly string[]): EntryFiles {
  const files: string[] = [];
  const missing: string[] = [];
  const problems: WalkProblem[] = [];
  const walked = new Map<string, string>();
  const walk = (dir: string, st: Stats): void => {
    const seen = walked.get(dirKey(st));
    if (seen !== undefined) {
      problems.push({ file: dir, reason: `directory loop: the same directory as ${seen}, walked once` });
      return;
    }
    walked.set(dirKey(st), dir);
    let names: Buffer[];
    try {
      // Names as bytes: a name that is not UTF-8 would come back as a string naming no file.
      names = readdirSync(dir, { encoding: 'buffer' });
    } catch (e) {
      problems.push({ file: dir, reason: `cannot read directory: ${errnoText(e)}` });
      return;
    }
    const decoded = names.map((raw) => ({ raw, name: raw.toString('utf8') })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { raw, name } of decoded) {
      // Dot files include the temporary files of a write in progress.
      if (name.startsWith('.')) continue;
      const p = join(dir, name);
      if (!Buffer.from(name, 'utf8').equals(raw)) {
        if (name.endsWith('.json')) problems.push({ file: p, reason: `file name is not valid UTF-8 (bytes ${raw.toString('hex')}); rename it` });
        continue;
      }
      const child = statOrErrno(p);
      if (typeof child === 'string') {
        if (name.endsWith('.json') || child === 'ELOOP') problems.push({ file: p, reason: statProblem(p, child) });
        continue;
      }
      if (child.isDirectory()) walk(p, child);
      else if (name.endsWith('.json')) files.push(p);
    }
  };
  for (const p of paths) {
    const st = statOrErrno(p);
    if (st === 'ENOENT') missing.push(p);
    else if (typeof st === 'string') problems.push({ file: p, reason: statProblem(p, st) });
    else if (st.isDirectory()) walk(p, st);
    else files.push(p);
  }
  return { files, missing, problems };
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

/**
 * Largest entry or ITF file read: the biggest committed one is a few tens of kilobytes, and the
 * schema's maxima bound a valid entry far below this, so a larger file is refused before it is read.
 */
export const MAX_ENTRY_BYTES = 8 * 1024 * 1024;

/** Deepest nesting of arrays and objects accepted: valid entries and ITF traces stay under 16. */
export const MAX_JSON_DEPTH = 64;

/** Depth of the deepest array or object in `data`, counted without recursion so no input overflows the stack. */
function nestingDepth(data: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[data, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, d);
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}

/** Read one file: a corpus entry or an ITF trace shadowcheck wrote. */
export function loadEntryFile(file: string): Loaded {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_ENTRY_BYTES) return { ok: false, status: 'bad-input', reason: `file is ${size} bytes, more than the ${MAX_ENTRY_BYTES} an entry may have` };
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, status: 'bad-input', reason: `cannot read: ${errnoText(e)}` };
  }
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, status: 'bad-input', reason: parsed.reason };
  if (nestingDepth(parsed.data, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return { ok: false, status: 'bad-input', reason: `nested more than ${MAX_JSON_DEPTH} levels deep` };
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
