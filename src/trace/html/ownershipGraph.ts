/**
 * The ownership graph of one state: principals, the tables they go through and the frames they end
 * at, built from the derived relations — `reach` (who can touch which frame, through what) and `refs`
 * (who holds a reference, taken at which generation) — plus the grant tables, which name frames
 * without mapping them. Pure data; the page draws it.
 */
import type { Witness } from '../../../invariants/types.ts';
import type { Hop, Principal } from '../../model/core/path.ts';
import type { State } from '../../model/core/state.ts';
import { hex, ownerText, principalText } from '../../model/core/words.ts';
import { hopText } from '../../model/words.ts';
import { reach } from '../../model/reach.ts';
import { refs } from '../../model/refs.ts';
import { tableOf } from './tables.ts';
import type { EdgeKind, FrameFacts, NodeKind } from './viewerData.ts';

/** A node of one state's graph, before layout. */
export interface GraphNode {
  id: string;
  kind: NodeKind;
  label: string;
}

/**
 * An edge of one state's graph. Every entry between the same two nodes shares one edge, of the
 * strongest kind among them: a p2m entry that maps a frame also holds a reference to it, and a grant
 * that is mapped is also reached through — drawn once, with every entry's words.
 */
export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  labels: string[];
  stale: boolean;
}

/** One state's graph: nodes by id, edges by `edgeKey`. */
export interface StateGraph {
  nodes: Map<string, GraphNode>;
  edges: Map<string, GraphEdge>;
}

/** The id of an edge: its ends. */
export function edgeKey(from: string, to: string): string {
  return `${from}|${to}`;
}

/** Which kind an edge shows when entries of several kinds share it. */
const STRENGTH: Record<EdgeKind, number> = { reach: 2, ref: 1, grant: 0 };

/** The node id of a principal. */
export function principalId(p: Principal): string {
  return `P:${principalText(p)}`;
}

/** The node id of a frame. */
export function frameId(mfn: number): string {
  return `F:${mfn}`;
}

/** A frame's owner, generation and refcount, or undefined when the state has no such frame. */
export function frameFacts(state: State, mfn: number): FrameFacts | undefined {
  const f = state.frames[mfn];
  return f === undefined ? undefined : { owner: ownerText(f.owner), gen: f.gen, refcount: f.refcount };
}

class Builder {
  readonly graph: StateGraph = { nodes: new Map(), edges: new Map() };
  node(id: string, kind: NodeKind, label: string): string {
    if (!this.graph.nodes.has(id)) this.graph.nodes.set(id, { id, kind, label });
    return id;
  }
  frame(mfn: number): string {
    return this.node(frameId(mfn), 'frame', `mfn ${hex(mfn)}`);
  }
  table(h: Hop): string {
    const t = tableOf(h);
    return this.node(t.id, 'table', t.label);
  }
  edge(from: string, to: string, kind: EdgeKind, label: string, stale = false): void {
    const key = edgeKey(from, to);
    const e = this.graph.edges.get(key);
    if (e === undefined) {
      this.graph.edges.set(key, { from, to, kind, labels: [label], stale });
      return;
    }
    if (!e.labels.includes(label)) e.labels.push(label);
    if (STRENGTH[kind] > STRENGTH[e.kind]) e.kind = kind;
    e.stale ||= stale;
  }
}

/**
 * The nodes a path visits: principal, one table per hop (consecutive hops in one table collapse),
 * then the frame.
 */
export function chainNodes(principal: Principal | undefined, path: readonly Hop[], mfn: number | undefined): GraphNode[] {
  const nodes: GraphNode[] = principal !== undefined ? [{ id: principalId(principal), kind: 'principal', label: principalText(principal) }] : [];
  for (const h of path) {
    const t = tableOf(h);
    if (nodes[nodes.length - 1]?.id !== t.id) nodes.push({ id: t.id, kind: 'table', label: t.label });
  }
  if (mfn !== undefined) nodes.push({ id: frameId(mfn), kind: 'frame', label: `mfn ${hex(mfn)}` });
  return nodes;
}

/** The ownership graph of `state`. */
export function ownershipGraph(state: State): StateGraph {
  const b = new Builder();
  for (const e of reach(state)) {
    let at = b.node(principalId(e.principal), 'principal', principalText(e.principal));
    for (const h of e.path) {
      const t = b.table(h);
      if (t !== at) b.edge(at, t, 'reach', hopText(h));
      at = t;
    }
    const last = e.path[e.path.length - 1];
    b.edge(at, b.frame(e.mfn), 'reach', `${last !== undefined ? hopText(last) : 'direct'} → mfn ${hex(e.mfn)}${e.write ? '' : ' (read-only)'}`);
  }
  for (const r of refs(state)) {
    const t = b.table(r.holder);
    const stale = state.frames[r.mfn] !== undefined && state.frames[r.mfn].gen !== r.gen;
    b.edge(t, b.frame(r.mfn), 'ref', `${hopText(r.holder)} holds mfn ${hex(r.mfn)} taken at gen ${r.gen}${r.counted ? '' : ' (no reference count)'}`, stale);
  }
  for (const d of state.domains) {
    if (d.state === 'none' || d.state === 'dead') continue;
    d.grants.forEach((g, ref) => {
      const p2m = g === null ? null : d.p2m[g.gfn];
      if (g === null || p2m === null || p2m === undefined) return;
      const t = b.table({ via: 'grant', granter: d.id, ref });
      b.edge(t, b.frame(p2m.mfn), 'grant', `grant ref ${ref} of dom${d.id} to dom${g.grantee}${g.readonly ? ' (read-only)' : ''}, gfn ${hex(g.gfn)}, ${g.maps} mapping${g.maps === 1 ? '' : 's'}`);
    });
  }
  return b.graph;
}

/** The node chains a witness names: its reach path, or the holder of the reference it is about. */
export function witnessChains(w: Witness): GraphNode[][] {
  if (w.path !== undefined && (w.principal !== undefined || w.path.length > 0)) return [chainNodes(w.principal, w.path, w.mfn)];
  if (w.holder !== undefined) return [chainNodes(undefined, [w.holder], w.mfn)];
  if (w.principal !== undefined || w.mfn !== undefined) return [chainNodes(w.principal, [], w.mfn)];
  // A witness about a domain's own books (quota-matches-ownership's tot_pages): the domain, as its CPU.
  const dom = (w as { dom?: unknown }).dom;
  if (typeof dom === 'number') return [chainNodes({ kind: 'cpu', dom }, [], undefined)];
  // refused-op-changes-nothing names the first changed field as a JSON path: light the frame or domain it is in.
  // type-ok names the ill-typed field the same way (a client's DMA table slot: that client's domain).
  const changed = (w.actual as { changed?: unknown } | undefined)?.changed ?? w.expected;
  const at = typeof changed === 'string' ? /^\$\.(frames|domains|gpu\.tables)\[(\d+)\]/.exec(changed) : null;
  if (at !== null) return [at[1] === 'frames' ? chainNodes(undefined, [], Number(at[2])) : chainNodes({ kind: 'cpu', dom: Number(at[2]) }, [], undefined)];
  return [];
}

/**
 * Put the witness's nodes into the graph of the state it was found in: a witness may name a
 * structure no mapping or reference goes through (a page-track memslot whose count is wrong), and
 * the page must still show it, lit.
 */
export function addWitnessNodes(g: StateGraph, chains: readonly (readonly GraphNode[])[]): void {
  for (const c of chains) for (const n of c) if (!g.nodes.has(n.id)) g.nodes.set(n.id, { ...n });
}
