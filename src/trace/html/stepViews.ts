/**
 * Steps as the viewer shows them: each step's graph beside the one before it, so what the step added
 * or removed is marked (a removed edge is still drawn, struck), and the witness path highlighted
 * wherever its edges exist.
 */
import type { State } from '../../model/core/state.ts';
import { hex } from '../../model/core/words.ts';
import { stepChange } from '../ownershipDiff.ts';
import type { StateGraph } from './ownershipGraph.ts';
import { frameFacts } from './ownershipGraph.ts';
import type { EdgeAtStep, Mark, NodeAtStep, StepView } from './viewerData.ts';

/** A step's words: the action, its answer, whether the invariant is broken after it. */
export interface StepWords {
  action: string;
  result: string;
  violated: boolean;
}

/** The consecutive pairs of node ids on the witness chains ("a|b"). */
function chainPairs(chains: readonly (readonly string[])[]): Set<string> {
  const pairs = new Set<string>();
  for (const c of chains) for (let i = 1; i < c.length; i++) pairs.add(`${c[i - 1]}|${c[i]}`);
  return pairs;
}

function mark(before: boolean, after: boolean): Mark {
  if (before && after) return 'same';
  return after ? 'added' : 'removed';
}

/** What changed in words: domain life, targets and page counts, and frame owner, generation, refcount. */
function changeWords(before: State, after: State): string[] {
  const c = stepChange(before, after);
  return [...c.domains, ...c.frames.filter((f) => f.fields.length > 0).map((f) => `mfn ${hex(f.mfn)}: ${f.fields.join(', ')}`)];
}

/** One step's view: `graph` in `state`, compared with `prev` (absent for the initial state). */
function stepView(words: StepWords, state: State, graph: StateGraph, prevState: State | undefined, prev: StateGraph | undefined, chains: readonly (readonly string[])[]): StepView {
  const pairs = chainPairs(chains);
  const onChain = new Set(chains.flat());
  const edges: EdgeAtStep[] = [];
  const touched = new Set<string>();
  const keys = new Set([...(prev?.edges.keys() ?? []), ...graph.edges.keys()]);
  for (const key of keys) {
    const now = graph.edges.get(key);
    const was = prev?.edges.get(key);
    const e = (now ?? was)!;
    const m = prev === undefined ? 'same' : mark(was !== undefined, now !== undefined);
    const relabelled = m === 'same' && was !== undefined && now !== undefined && (was.kind !== now.kind || was.labels.join('\n') !== now.labels.join('\n'));
    edges.push({ from: e.from, to: e.to, kind: e.kind, labels: e.labels, mark: relabelled ? 'changed' : m, witness: now !== undefined && pairs.has(`${e.from}|${e.to}`), stale: e.stale });
    touched.add(e.from).add(e.to);
  }
  const nodes: NodeAtStep[] = [];
  const ids = new Set([...(prev?.nodes.keys() ?? []), ...graph.nodes.keys(), ...touched]);
  for (const id of ids) {
    const now = graph.nodes.get(id) ?? prev?.nodes.get(id);
    if (now === undefined) continue;
    let m: Mark = prev === undefined ? 'same' : mark(prev.nodes.has(id), graph.nodes.has(id));
    const node: NodeAtStep = { id, mark: m, witness: graph.nodes.has(id) && onChain.has(id) };
    if (now.kind === 'frame') {
      const mfn = Number(id.slice(2));
      node.frame = frameFacts(state, mfn);
      const was = prevState !== undefined ? frameFacts(prevState, mfn) : undefined;
      if (m === 'same' && was !== undefined && node.frame !== undefined && (was.owner !== node.frame.owner || was.gen !== node.frame.gen)) m = 'changed';
      node.mark = m;
    }
    nodes.push(node);
  }
  return { ...words, nodes, edges, changes: prevState === undefined ? [] : changeWords(prevState, state) };
}

/** The views of every step: `states[k]` and `graphs[k]` for step k (0: initial). */
export function stepViews(words: readonly StepWords[], states: readonly State[], graphs: readonly StateGraph[], chains: readonly (readonly string[])[]): StepView[] {
  return states.map((s, k) => stepView(words[k], s, graphs[k], k > 0 ? states[k - 1] : undefined, k > 0 ? graphs[k - 1] : undefined, chains));
}
