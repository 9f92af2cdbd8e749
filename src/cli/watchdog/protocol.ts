/**
 * What the watchdog's main thread and its campaign worker say to each other. Everything is plain
 * data (structured-clone safe): a design is named, never sent — its ops are functions — and the
 * worker builds it again from the registry or from the user's file.
 */
import type { Budget, CampaignOptions, CampaignResult } from '../../fuzz/campaign.ts';
import type { KnobValues } from '../../model/core/op.ts';
import type { Scope } from '../../model/core/scope.ts';

/** Which design a campaign runs: a registered one by id, or the default export of a design file. */
export type DesignRef = { builtin: string } | { file: string };

/** One campaign to run: the design by reference, invariants by id. */
export interface CampaignRequest {
  kind: 'campaign';
  design: DesignRef;
  seed: number;
  budget: Budget;
  scope: Scope;
  knobs: KnobValues;
  invariants: string[];
}

/** A campaign's result without its design (the main thread puts its own copy back). */
export type PlainCampaignResult = Omit<CampaignResult, 'design'>;

/** A campaign's progress report (time budgets, between chunks). */
export type CampaignProgress = Parameters<NonNullable<CampaignOptions['onProgress']>>[0];

/** What the worker reports. */
export type WorkerMessage =
  /** A name (op, argument, string value) got the id `id` in the probe's name table. */
  | { kind: 'name'; id: number; name: string }
  /** The design is built and the campaign starts: the stall clock starts now, not while modules load. */
  | { kind: 'started' }
  | { kind: 'progress'; progress: CampaignProgress }
  | { kind: 'done'; result: PlainCampaignResult }
  /** The campaign could not start (unknown design or invariant, a design file that no longer loads). */
  | { kind: 'failed'; message: string };

/** Data the worker is started with. */
export interface WorkerData {
  /** The probe's cells (a SharedArrayBuffer of `PROBE_CELLS` Int32 cells). */
  cells: SharedArrayBuffer;
}
