/**
 * The in-process executor: one slot, chunks run on this thread (`--step-timeout 0`, tests, the API).
 * It gives the event loop a turn before each chunk, so Ctrl-C is seen between chunks.
 */
import type { ChunkExecutor } from './scheduler.ts';
import { prepareSearch, runChunk } from '../fuzz/campaign.ts';

/** Run chunks on this thread, one at a time. */
export const IN_PROCESS: ChunkExecutor = {
  slots: 1,
  async run(job, invariants, scope, chunk) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return { kind: 'done', result: runChunk(prepareSearch(job.design, job.knobs, scope, invariants), chunk) };
  },
};
