/**
 * The watchdog's worker thread: runs the campaigns the main thread asks for, one at a time, with the
 * step probe installed so the main thread can see which op each step is applying — and stop this
 * thread with `worker.terminate()` when one never returns. Designs are rebuilt here from their
 * reference (registry id or design file), invariants from their ids.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { findInvariant } from '../../../invariants/registry.ts';
import type { Invariant } from '../../../invariants/types.ts';
import { loadDesignFile } from '../../audit/designFile.ts';
import { runCampaignAsync } from '../../fuzz/campaign.ts';
import type { Design } from '../../model/core/design.ts';
import { findDesign } from '../../model/designs.ts';
import { installStepProbe, PROBE } from '../../runner/stepProbe.ts';
import type { CampaignRequest, DesignRef, WorkerData, WorkerMessage } from './protocol.ts';

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

async function run(req: CampaignRequest): Promise<void> {
  const design = await designOf(req.design);
  if (typeof design === 'string') return post({ kind: 'failed', message: design });
  const invariants: Invariant[] = [];
  for (const id of req.invariants) {
    const inv = findInvariant(id);
    if (inv === undefined) return post({ kind: 'failed', message: `unknown invariant '${id}'` });
    invariants.push(inv);
  }
  // Runs are counted per campaign, so a stall names the run of this campaign it happened in.
  Atomics.store(cells, PROBE.run, 0);
  post({ kind: 'started' });
  const { design: _design, ...result } = await runCampaignAsync(design, {
    seed: req.seed,
    budget: req.budget,
    scope: req.scope,
    knobs: req.knobs,
    invariants,
    onProgress: (progress) => post({ kind: 'progress', progress }),
    shouldStop: () => Atomics.load(cells, PROBE.stop) !== 0,
  });
  post({ kind: 'done', result });
}

port.on('message', (req: CampaignRequest) => {
  run(req).catch((e: unknown) => post({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }));
});
