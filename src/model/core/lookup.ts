/**
 * Small queries over the state that operations and invariants share.
 */
import type { DomId, State } from './state.ts';

/** Whether a domain id names a running domain. */
export function isAlive(state: State, dom: DomId): boolean {
  const d = state.domains[dom];
  return d !== undefined && d.state === 'alive';
}

/** Whether `backend` is privileged for `dom` (IS_PRIV_FOR over the target list). */
export function isTargetOf(state: State, backend: DomId, dom: DomId): boolean {
  const b = state.domains[backend];
  return b !== undefined && b.targets.includes(dom);
}

/** GFNs of a domain whose p2m slot is empty. */
export function emptyGfns(state: State, dom: DomId): number[] {
  const out: number[] = [];
  const p2m = state.domains[dom].p2m;
  for (let gfn = 0; gfn < p2m.length; gfn++) if (p2m[gfn] === null) out.push(gfn);
  return out;
}

/** GFNs of a domain that hold its own RAM (the ones it may balloon out, grant or have mapped). */
export function ramGfns(state: State, dom: DomId): number[] {
  const out: number[] = [];
  const p2m = state.domains[dom].p2m;
  for (let gfn = 0; gfn < p2m.length; gfn++) {
    const e = p2m[gfn];
    if (e !== null && (e.type === 'ram_rw' || e.type === 'ram_ro')) out.push(gfn);
  }
  return out;
}

/** BFNs of a domain's (non-identity) IOMMU context that are unused. */
export function emptyBfns(state: State, dom: DomId): number[] {
  const out: number[] = [];
  const iommu = state.domains[dom].iommu;
  for (let bfn = 0; bfn < iommu.length; bfn++) if (iommu[bfn] === null) out.push(bfn);
  return out;
}

/** Choose the `pick`-th element of a live set (wrapping), or undefined when the set is empty. */
export function pickFrom<T>(items: readonly T[], pick: number): T | undefined {
  if (items.length === 0) return undefined;
  return items[Math.abs(pick) % items.length];
}
