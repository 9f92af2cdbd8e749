/**
 * Replay speed for the benchmark: how many corpus entries per second `replay` gets through (read,
 * validate, re-execute, compare), over the committed corpus. Passes over the corpus repeat until
 * `minMs` have elapsed, so a small corpus still gives a stable figure.
 */
import { listEntryFiles } from './corpusLoad.ts';
import { DEFAULT_CORPUS_DIR } from './corpusSave.ts';
import { replayFile } from './replay.ts';

/** The measurement. */
export interface ReplayRate {
  entries: number;
  /** Entries replayed in total (entries × passes). */
  replays: number;
  seconds: number;
  entriesPerSecond: number;
  /** Entries that did not reproduce during the measurement (a healthy corpus has none). */
  notReproduced: number;
}

/** Replay every entry under `dir` repeatedly for at least `minMs` and report entries per second. */
export function measureReplayRate(dir: string = DEFAULT_CORPUS_DIR, minMs = 1000): ReplayRate {
  const { files } = listEntryFiles([dir]);
  if (files.length === 0) return { entries: 0, replays: 0, seconds: 0, entriesPerSecond: 0, notReproduced: 0 };
  let replays = 0;
  let notReproduced = 0;
  const started = process.hrtime.bigint();
  let elapsedMs = 0;
  do {
    for (const f of files) {
      if (replayFile(f).status !== 'reproduced') notReproduced += 1;
      replays += 1;
    }
    elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  } while (elapsedMs < minMs);
  return { entries: files.length, replays, seconds: elapsedMs / 1000, entriesPerSecond: replays / (elapsedMs / 1000), notReproduced };
}
