/**
 * What a watchdog's main thread and its chunk workers say to each other. Everything is plain data
 * (structured-clone safe): a design is named, never sent — its ops are functions — and the worker
 * builds it again from the registry or from the user's file.
 */
import type { ChunkResult, ChunkSpec } from '../../fuzz/campaign.ts';
import type { KnobValues } from '../../model/core/op.ts';
import type { Scope } from '../../model/core/scope.ts';

/** Which design a campaign runs: a registered one by id, or the default export of a design file. */
export type DesignRef = { builtin: string } | { file: string };

/** One chunk of runs of one search: the design by reference, invariants by id. */
export interface ChunkRequest {
  kind: 'chunk';
  design: DesignRef;
  scope: Scope;
  knobs: KnobValues;
  invariants: string[];
  chunk: ChunkSpec;
}

/** What the worker reports. */
export type WorkerMessage =
  /** A name (op, argument, string value) got the id `id` in the probe's name table. */
  | { kind: 'name'; id: number; name: string }
  /** The design is built and the chunk starts: the stall clock starts now, not while modules load. */
  | { kind: 'started' }
  | { kind: 'done'; result: ChunkResult }
  /** The chunk could not start (unknown design or invariant, a design file that no longer loads). */
  | { kind: 'failed'; message: string };

/** Data the worker is started with. */
export interface WorkerData {
  /** The probe's cells (a SharedArrayBuffer of `PROBE_CELLS` Int32 cells). */
  cells: SharedArrayBuffer;
}
