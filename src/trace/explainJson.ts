/**
 * `explain --json`: the same walk through a saved counterexample as the text, as data — each step's
 * action, its answer now and (where it differs) as recorded, its warnings, and what it changed in
 * ownership — in one `shadowcheck.explain/1` document for all the files named.
 */
import { cloneState } from '../model/core/clone.ts';
import type { State } from '../model/core/state.ts';
import { settingsOf } from '../model/core/settings.ts';
import type { OpResult } from '../model/core/op.ts';
import { stepChange } from './ownershipDiff.ts';
import type { StepChange } from './ownershipDiff.ts';
import type { ReplayOptions } from './replay.ts';
import { replayFile } from './replay.ts';
import { resultText } from './render.ts';
import { witnessText } from './render.ts';
import { OUTPUT_FORMATS } from './schemas/outputSchemas.ts';
import type { Step } from '../runner/outcome.ts';

/** One step as explained. */
export interface ExplainedStep {
  action: Step['action'];
  result: OpResult;
  /** The answer the file recorded, when the replay's differs. */
  recordedResult?: OpResult;
  warnings: string[];
  /** What the step changed; absent when the replay skipped actions and the states do not line up. */
  changes?: StepChange;
}

/** One file as explained. */
export interface ExplainedFile {
  file: string;
  status: string;
  reason: string;
  /** The exit code replay gives this file (0 reproduced, 1 no longer or stale, 2 bad input). */
  exitCode: number;
  notes: string[];
  design?: string;
  settings?: string[];
  invariant?: string;
  recorded?: { verdict: 'violated' | 'holds'; step?: number };
  aligned?: boolean;
  violatedAt?: number;
  steps?: ExplainedStep[];
  witnessText?: string[];
}

/** Explain one file as data. */
export function explainFileData(file: string, opts: ReplayOptions = {}): ExplainedFile {
  const states: State[] = [];
  const r = replayFile(file, { ...opts, onState: (s) => void states.push(cloneState(s)) });
  const base = { file, status: r.status, reason: r.reason, notes: r.notes };
  if (r.status === 'bad-input' || r.entry === undefined) return { ...base, exitCode: 2 };
  const e = r.entry;
  const out: ExplainedFile = {
    ...base,
    exitCode: r.status === 'reproduced' ? 0 : 1,
    design: e.design.id,
    settings: r.design ? settingsOf(r.design, e.knobs) : [],
    invariant: e.invariant,
    recorded: e.expect.verdict === 'violated' ? { verdict: 'violated', step: e.expect.step } : { verdict: 'holds' },
    aligned: r.aligned === true,
  };
  if (r.aligned && r.outcome !== undefined) {
    if (r.outcome.kind === 'violation') out.violatedAt = r.outcome.step;
    out.steps = r.outcome.trace.map((s, i) => {
      const recorded = e.trace[i]?.result;
      const step: ExplainedStep = { action: s.action, result: s.result, warnings: s.warnings ?? [], changes: stepChange(states[i], states[i + 1]) };
      if (recorded !== undefined && resultText(recorded) !== resultText(s.result)) step.recordedResult = recorded;
      return step;
    });
    const violations = r.outcome.kind === 'violation' ? r.outcome.violations : [];
    out.witnessText = violations.flatMap((v) => v.witnesses.map((w) => witnessText(v.invariant, w)));
  } else {
    out.steps = e.trace.map((s) => ({ action: s.action, result: s.result, warnings: s.warnings ?? [] }));
    out.witnessText = e.witnessText;
  }
  return out;
}

/** The `shadowcheck.explain/1` document for the files named; its exit code is the worst of theirs. */
export function explainJson(files: readonly string[], opts: ReplayOptions = {}): { format: string; tool: 'shadowcheck'; files: ExplainedFile[]; exitCode: number } {
  const explained = files.map((f) => explainFileData(f, opts));
  return { format: OUTPUT_FORMATS.explain, tool: 'shadowcheck', files: explained, exitCode: Math.max(0, ...explained.map((f) => f.exitCode)) };
}
