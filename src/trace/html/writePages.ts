/**
 * Writing viewer pages: `explain --html FILE` one page to the path given, `fuzz --html DIR` one per
 * counterexample (named like its corpus entry, ending `.html`), `audit --html DIR` one per audited
 * invariant with a counterexample. Each write is atomic; a write that fails is reported with its path
 * and errno and the others still go ahead.
 */
import { join } from 'node:path';
import type { Design } from '../../model/core/design.ts';
import type { Scope } from '../../model/core/scope.ts';
import { writeAtomic } from '../atomicWrite.ts';
import { errnoText } from '../fsError.ts';
import { replayFile } from '../replay.ts';
import type { CorpusEntry } from '../corpusEntry.ts';
import { entryPath } from '../corpusSave.ts';
import type { AuditRows } from './pages.ts';
import { auditPages, entryPage } from './pages.ts';
import { renderPage } from './renderPage.ts';
import type { ViewerPage } from './viewerData.ts';

/** What writing pages did: the files written, and one line per page that could not be written. */
export interface PagesWritten {
  written: string[];
  failed: string[];
}

/** The error of a failed write in one line: the path, the errno and what it means. */
function failure(file: string, e: unknown): string {
  return `cannot write ${file}: ${errnoText(e)}`;
}

function writeAll(pages: readonly { file: string; page: ViewerPage | { error: string } }[]): PagesWritten {
  const out: PagesWritten = { written: [], failed: [] };
  for (const { file, page } of pages) {
    if ('error' in page) {
      out.failed.push(`cannot build ${file}: ${page.error}`);
      continue;
    }
    try {
      writeAtomic(file, renderPage(page));
      out.written.push(file);
    } catch (e) {
      out.failed.push(failure(file, e));
    }
  }
  return out;
}

/** Write the page of one corpus entry to `file`. */
export function writeEntryPage(file: string, entry: CorpusEntry, design: Design, source: string): PagesWritten {
  return writeAll([{ file, page: entryPage(entry, design, source, `npx shadowcheck replay ${source}`) }]);
}

/**
 * `explain --html FILE`: the page of the corpus entry or ITF trace at `source`, written to `file`. A
 * source that is not a valid entry gets no page (explain's text already says why).
 */
export function writeExplainPage(file: string, source: string): PagesWritten {
  const r = replayFile(source);
  if (r.entry === undefined || r.design === undefined) return { written: [], failed: [`cannot build ${file}: ${source}: ${r.reason}`] };
  return writeEntryPage(file, r.entry, r.design, source);
}

/**
 * Write one page per counterexample found by `fuzz`, under `dir`; `corpusFile` is where the entry was
 * saved, when it was, so the page can say how to replay it.
 */
export function writeFuzzPages(dir: string, found: readonly { design: Design; entry: CorpusEntry; corpusFile?: string }[]): PagesWritten {
  return writeAll(
    found.map(({ design, entry, corpusFile }) => {
      const file = entryPath(dir, design, entry, '.html');
      const source = corpusFile ?? `a fuzz campaign (seed ${entry.hints.seed ?? '?'}; not saved: run fuzz with --save to keep it)`;
      return { file, page: entryPage(entry, design, source, corpusFile !== undefined ? `npx shadowcheck replay ${corpusFile}` : undefined) };
    }),
  );
}

/** A design id as a file-name part: ids from design files are not trusted to be path-safe. */
function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
}

/** Write one page per audited invariant with a counterexample, under `dir`. */
export function writeAuditPages(dir: string, result: AuditRows, baseline: Design, candidate: Design, scope: Scope, command: string, exhaustiveScope?: Scope): PagesWritten {
  const sub = join(dir, `${safeName(candidate.id)}-vs-${safeName(baseline.id)}`);
  return writeAll(auditPages(result, baseline, candidate, scope, command, exhaustiveScope).map(({ invariant, page }) => ({ file: join(sub, `${safeName(invariant)}.html`), page })));
}
