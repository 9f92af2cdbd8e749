/**
 * Writing ITF files for `--out-itf`: replay an entry on its design to recover the states between its
 * steps, and choose file names — exactly the path given for a single trace, one file per trace in a
 * directory (named like corpus entries, ending `.itf.json`) for several.
 */
import { findInvariant } from '../../invariants/registry.ts';
import type { Design } from '../model/core/design.ts';
import { cloneState } from '../model/core/clone.ts';
import type { State } from '../model/core/state.ts';
import { writeAtomic } from './atomicWrite.ts';
import type { CorpusEntry } from './corpusEntry.ts';
import { entryPath } from './corpusSave.ts';
import { fullKnobs } from './digest.ts';
import type { ItfTrace } from './itf.ts';
import { entryToItf } from './itf.ts';
import { replayActions } from './replay.ts';

/** The ITF trace of an entry, with the states from replaying it on `design`. Throws if an action no longer applies. */
export function itfForEntry(entry: CorpusEntry, design: Design, source?: string): ItfTrace {
  const inv = findInvariant(entry.invariant);
  if (inv === undefined) throw new Error(`unknown invariant '${entry.invariant}'`);
  const states: State[] = [];
  const { problems } = replayActions(design, fullKnobs(design, entry.knobs), entry, inv, (s) => void states.push(cloneState(s)));
  if (problems.length > 0) throw new Error(`cannot export ${entry.design.id} · ${entry.invariant} to ITF: step ${problems[0].step + 1} (${problems[0].op}) no longer applies`);
  return entryToItf(entry, states, source);
}

/**
 * Write each entry as ITF under `out`: a path ending in `.json` receives a single trace; otherwise (or
 * for several traces, then into the directory named by `out` without `.json`) one file per trace.
 * Returns the files written.
 */
export function writeItfFiles(out: string, items: readonly { design: Design; entry: CorpusEntry; source?: string }[]): string[] {
  const single = out.endsWith('.json') && items.length === 1;
  const dir = out.endsWith('.json') ? out.slice(0, -'.json'.length) : out;
  return items.map(({ design, entry, source }) => {
    const file = single ? out : entryPath(dir, design, entry, '.itf.json');
    writeAtomic(file, `${JSON.stringify(itfForEntry(entry, design, source))}\n`);
    return file;
  });
}
