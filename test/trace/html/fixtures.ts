/** Corpus entries the viewer tests build pages from, read from the committed corpus. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findDesign } from '../../../src/model/designs.ts';
import type { CorpusEntry } from '../../../src/trace/corpusEntry.ts';
import { entryPage } from '../../../src/trace/html/pages.ts';
import type { ViewerPage } from '../../../src/trace/html/viewerData.ts';

/** The GPU running dom1 reaches dom2's frame through a shadow GGTT entry dom2 wrote (3 steps). */
export const GPU_ENTRY = 'corpus/kvmgt-page-track/gpu-reaches-only-own-vm.auditCommands=false-452f3578.json';
/** A DMA-table slot keeps naming mfn 0x6 after dom1 balloons it out and dom0 gets it back (3 steps). */
export const STALE_ENTRY = 'corpus/xen-translate-gpfn/no-stale-reference-f77a6261.json';

/** Read a corpus entry. */
export function readEntry(file: string): CorpusEntry {
  return JSON.parse(readFileSync(file, 'utf8')) as CorpusEntry;
}

/** Every committed corpus entry file. */
export function corpusFiles(dir = 'corpus'): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.json'))
    .map((d) => join(d.parentPath, d.name))
    .sort();
}

/** Text a hostile corpus entry might carry: markup, a script end tag, a comment opener, line separators. */
export const HOSTILE = '</script><script>window.__injected=1</script><img src=x onerror="window.__injected=2"><!--\u2028\u2029&amp;"\'';

/** The page of the stale-reference entry with hostile text in an action argument and the file name. */
export function hostilePage(): ViewerPage {
  const entry = readEntry(STALE_ENTRY);
  (entry.trace[0].action as Record<string, unknown>).note = HOSTILE;
  const page = entryPage(entry, findDesign(entry.design.id)!, `corpus/${HOSTILE}.json`);
  if ('error' in page) throw new Error(page.error);
  return page;
}
