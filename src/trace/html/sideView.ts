/**
 * One design's run of a trace, as the viewer shows it: the explicit actions re-run on the design (the
 * runner, not a copy of it), every state kept, and each action lined up with the state after it — an
 * action the design does not accept now is shown as skipped, and steps after the run stopped as not
 * run, so two designs' runs of one trace line up step for step side by side.
 */
import type { Invariant, Witness } from '../../../invariants/types.ts';
import { cloneState } from '../../model/core/clone.ts';
import type { Design } from '../../model/core/design.ts';
import type { Action, KnobValues } from '../../model/core/op.ts';
import type { Scope } from '../../model/core/scope.ts';
import { settingsOf } from '../../model/core/settings.ts';
import type { State } from '../../model/core/state.ts';
import { frameText, hex, principalText } from '../../model/core/words.ts';
import { hopText } from '../../model/words.ts';
import { makeChecker } from '../../runner/checker.ts';
import type { Outcome } from '../../runner/outcome.ts';
import { runResolved } from '../../runner/run.ts';
import { actionText, resultText, witnessText } from '../render.ts';
import { outcomeWords, stepWords } from '../replay.ts';
import { layout } from './layout.ts';
import { addWitnessNodes, ownershipGraph, witnessChains } from './ownershipGraph.ts';
import type { StepWords } from './stepViews.ts';
import { stepViews } from './stepViews.ts';
import type { SideView } from './viewerData.ts';

/** What to run: a design with its knobs and scope, the invariant checked, the explicit actions. */
export interface SideRun {
  role: string;
  design: Design;
  knobs: KnobValues;
  scope: Scope;
  invariant: Invariant;
  actions: readonly Action[];
}

/** A witness path in words: principal, each hop, the frame. */
function witnessWords(w: Witness): string[] {
  const hops = w.path ?? (w.holder !== undefined ? [w.holder] : []);
  return [...(w.principal !== undefined ? [principalText(w.principal)] : []), ...hops.map(hopText), ...(w.mfn !== undefined ? [w.frame !== undefined ? frameText(w.mfn, w.frame) : `mfn ${hex(w.mfn)}`] : [])];
}

/** Re-run the actions, keeping every state, and line each action up with the state after it. */
function runAligned(run: SideRun): { outcome: Outcome; states: State[]; words: StepWords[] } {
  const executed: State[] = [];
  const checker = makeChecker(run.design, run.knobs, run.scope, [run.invariant]);
  const { outcome, problems } = runResolved(checker, run.actions, { onState: (s) => void executed.push(cloneState(s)) });
  const skipped = new Map(problems.map((p) => [p.step, p.reason === 'unknown-op' ? `skipped: ${run.design.id} has no op ${p.op}` : `skipped: not enabled on ${run.design.id}`]));
  const violatedAt = outcome.kind === 'violation' && outcome.violations.some((v) => v.invariant === run.invariant.id) ? outcome.step : -2;
  const states: State[] = [executed[0]];
  const words: StepWords[] = [{ action: 'the initial state', result: '', violated: violatedAt === -1 }];
  let done = 0;
  let stopped = 'an earlier step';
  run.actions.forEach((a, i) => {
    const why = skipped.get(i);
    const ran = why === undefined && done < outcome.trace.length;
    let result: string;
    if (why !== undefined) result = why;
    else if (ran) result = resultText(outcome.trace[done].result);
    else if (outcome.kind === 'error' && done === outcome.trace.length && outcome.action !== undefined) result = `harness error: ${outcome.message}`;
    else result = `not run (the run stopped at ${stopped})`;
    if (ran) done += 1;
    if (ran && done === outcome.trace.length && outcome.kind !== 'ok') stopped = stepWords(i);
    states.push(executed[done]);
    words.push({ action: actionText(a), result, violated: ran && done - 1 === violatedAt });
  });
  return { outcome, states, words };
}

/** One side of a viewer page. */
export function sideView(run: SideRun): SideView {
  const settings = settingsOf(run.design, run.knobs);
  const { outcome, states, words } = runAligned(run);
  const graphs = states.map(ownershipGraph);
  const witnesses = outcome.kind === 'violation' ? outcome.violations.filter((v) => v.invariant === run.invariant.id).flatMap((v) => v.witnesses) : [];
  const chains = witnesses.flatMap(witnessChains);
  const broken = words.findIndex((w) => w.violated);
  if (broken >= 0) addWitnessNodes(graphs[broken], chains);
  const placed = layout(graphs);
  return {
    role: run.role,
    design: run.design.id,
    settings: settings.length > 0 ? settings.join(' ') : '(defaults)',
    verdict: outcomeWords(outcome, run.invariant.id),
    nodes: placed.nodes,
    columns: placed.columns,
    rows: placed.rows,
    steps: stepViews(words, states, graphs, chains.map((c) => c.map((n) => n.id))),
    witnessPaths: witnesses.map(witnessWords),
    witnessText: witnesses.map((w) => witnessText(run.invariant.id, w)),
  };
}
