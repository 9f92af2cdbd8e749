/**
 * The data a viewer page embeds: everything the in-page script draws, computed in TypeScript (and
 * tested in node) so the script only lays boxes and lines out where this data says. Plain JSON: the
 * page carries it in a `<script type="application/json">` block.
 */

/** What kind of thing a graph node is: who touches memory, a table it goes through, or a frame. */
export type NodeKind = 'principal' | 'table' | 'frame';

/** How a node or edge differs from the state before the step. */
export type Mark = 'same' | 'added' | 'removed' | 'changed';

/** A node with its fixed place in the side's layout (the same place at every step, so steps compare). */
export interface LaidNode {
  id: string;
  kind: NodeKind;
  label: string;
  column: number;
  row: number;
}

/** A frame's ownership facts in one state. */
export interface FrameFacts {
  owner: string;
  gen: number;
  refcount: number;
}

/** A node as it is at one step. */
export interface NodeAtStep {
  id: string;
  mark: Mark;
  /** On the witness path of the violation this page is about. */
  witness: boolean;
  /** For a frame: owner, generation and refcount in this state. */
  frame?: FrameFacts;
}

/**
 * How an edge holds: `reach` a principal can touch through it, `ref` a reference is held (dashed),
 * `grant` a grant entry names the frame.
 */
export type EdgeKind = 'reach' | 'ref' | 'grant';

/** An edge as it is at one step. */
export interface EdgeAtStep {
  from: string;
  to: string;
  kind: EdgeKind;
  /** The entries behind the edge, in words ("dom1 p2m gfn 0x2 (ram_rw)"). */
  labels: string[];
  mark: Mark;
  witness: boolean;
  /** A reference taken at an older generation than the frame has now. */
  stale: boolean;
}

/** Step 0 is the initial state; step k the state after the k-th action. */
export interface StepView {
  /** "the initial state" or the action in words. */
  action: string;
  /** The hypercall's answer, "skipped: …", or "not run (stopped at step 2)". */
  result: string;
  /** The checked invariant is broken in this state. */
  violated: boolean;
  nodes: NodeAtStep[];
  edges: EdgeAtStep[];
  /** What changed in words (domain life, targets, frame owner and generation). */
  changes: string[];
}

/** One design's run of the trace: a panel of the page. */
export interface SideView {
  /** "candidate", "baseline", or empty for a single-design page. */
  role: string;
  design: string;
  /** Knob settings in words, "(defaults)" when none differ. */
  settings: string;
  /** The verdict of this side in words. */
  verdict: string;
  nodes: LaidNode[];
  /** Columns used, for the drawing's width. */
  columns: number;
  /** Rows of the tallest column, for the drawing's height. */
  rows: number;
  /** One per step; `steps.length` is the page's step count + 1. */
  steps: StepView[];
  /** The witness paths, node labels in order (principal, tables, frame). */
  witnessPaths: string[][];
  /** The witnesses in words. */
  witnessText: string[];
}

/** Everything a viewer page shows. */
export interface ViewerPage {
  /** Version of this data shape; the script refuses what it does not know. */
  format: 1;
  title: string;
  /** Lines under the title: design, invariant, where it came from. */
  about: string[];
  /** The actions, in words, shared by every side. */
  actions: string[];
  /** The step at which the page opens (the violating one). */
  focus: number;
  sides: SideView[];
  /** A command that reproduces the page's counterexample. */
  command?: string;
}
