/**
 * Where each node sits, fixed for all steps of a side so a step's change is seen in place: principals
 * in the first column, frames in the last, and each table one column after the furthest table or
 * principal that leads into it (the longest path, so edges run left to right).
 */
import type { StateGraph } from './ownershipGraph.ts';
import type { LaidNode } from './viewerData.ts';

/** Columns and rows for every node any of `graphs` has. */
export function layout(graphs: readonly StateGraph[]): { nodes: LaidNode[]; columns: number; rows: number } {
  const kinds = new Map<string, { kind: LaidNode['kind']; label: string }>();
  const edges = new Set<string>();
  for (const g of graphs) {
    for (const n of g.nodes.values()) kinds.set(n.id, { kind: n.kind, label: n.label });
    for (const e of g.edges.values()) edges.add(`${e.from}\n${e.to}`);
  }
  const col = new Map<string, number>();
  for (const [id, n] of kinds) if (n.kind !== 'frame') col.set(id, n.kind === 'principal' ? 0 : 1);
  const tableEdges = [...edges].map((e) => e.split('\n') as [string, string]).filter(([a, b]) => kinds.get(a)?.kind !== 'frame' && kinds.get(b)?.kind === 'table');
  // Relax at most once per node: a cycle between tables (none is known) cannot loop forever.
  for (let pass = 0; pass < kinds.size; pass++) {
    let moved = false;
    for (const [a, b] of tableEdges) {
      const want = (col.get(a) ?? 0) + 1;
      if (want > (col.get(b) ?? 1) && want < kinds.size + 1) {
        col.set(b, want);
        moved = true;
      }
    }
    if (!moved) break;
  }
  const frameColumn = Math.max(1, ...col.values()) + 1;
  const byColumn = new Map<number, string[]>();
  for (const [id, n] of kinds) {
    const c = n.kind === 'frame' ? frameColumn : col.get(id)!;
    byColumn.set(c, [...(byColumn.get(c) ?? []), id]);
  }
  const nodes: LaidNode[] = [];
  let rows = 0;
  for (const [c, ids] of byColumn) {
    // Frames by number; the rest by name, so a domain's tables sit together.
    ids.sort((a, b) => (kinds.get(a)!.kind === 'frame' ? Number(a.slice(2)) - Number(b.slice(2)) : a.localeCompare(b)));
    ids.forEach((id, row) => nodes.push({ id, kind: kinds.get(id)!.kind, label: kinds.get(id)!.label, column: c, row }));
    rows = Math.max(rows, ids.length);
  }
  return { nodes, columns: frameColumn + 1, rows };
}
