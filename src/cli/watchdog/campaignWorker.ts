/**
 * A watchdog's worker thread: runs the chunks of runs the main thread's scheduler hands it, one at a
 * time, with the step probe installed so the main thread can see which op each step is applying — and
 * stop this thread with `worker.terminate()` when one never returns. Designs are rebuilt here from
 * their reference (registry id or design file, loaded once), invariants from their ids.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { findInvariant } from '../../../invariants/registry.ts';
import type { Invariant } from '../../../invariants/types.ts';
import { loadDesignFile } from '../../audit/designFile.ts';
import { CHUNK_RUNS, prepareSearch, runChunk } from '../../fuzz/campaign.ts';
import type { Design } from '../../model/core/design.ts';
import { findDesign } from '../../model/designs.ts';
import { installStepProbe, PROBE } from '../../runner/stepProbe.ts';
import type { ChunkRequest, DesignRef, WorkerData, WorkerMessage } from './protocol.ts';

const port = parentPort;
if (port === null) throw new Error('campaignWorker.ts runs as a worker thread only');
const cells = new Int32Array((workerData as WorkerData).cells);
const names = new Map<string, number>();

function post(m: WorkerMessage): void {
  port!.postMessage(m);
}

installStepProbe({
  cells,
  nameId(name: string): number {
    let id = names.get(name);
    if (id === undefined) {
      id = names.size;
      names.set(name, id);
      // Sent before the step that uses it runs, so a step stuck in its op is still named.
      post({ kind: 'name', id, name });
    }
    return id;
  },
});

/** Design files loaded so far (an audit runs one file's campaign once, a test may run several). */
const loaded = new Map<string, Design>();

async function designOf(ref: DesignRef): Promise<Design | string> {
  if ('builtin' in ref) return findDesign(ref.builtin) ?? `unknown design '${ref.builtin}'`;
  const known = loaded.get(ref.file);
  if (known !== undefined) return known;
  const l = await loadDesignFile(ref.file);
  if (!l.ok) return l.message;
  loaded.set(ref.file, l.design);
  return l.design;
}

async function run(req: ChunkRequest): Promise<void> {
  const design = await designOf(req.design);
  if (typeof design === 'string') return post({ kind: 'failed', message: design });
  const invariants: Invariant[] = [];
  for (const id of req.invariants) {
    const inv = findInvariant(id);
    if (inv === undefined) return post({ kind: 'failed', message: `unknown invariant '${id}'` });
    invariants.push(inv);
  }
  // Runs are counted from the chunk's first run in its search, so a stall names the run it happened in.
  Atomics.store(cells, PROBE.run, req.chunk.index * CHUNK_RUNS);
  post({ kind: 'started' });
  post({ kind: 'done', result: runChunk(prepareSearch(design, req.knobs, req.scope, invariants), req.chunk) });
}

port.on('message', (req: ChunkRequest) => {
  run(req).catch((e: unknown) => post({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }));
});
