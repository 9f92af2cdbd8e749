/**
 * The `reach` relation: every (principal, frame, path) such that the principal can touch the frame
 * now. Computed from the state, never stored. A principal reaches what is actually programmed into
 * the structures it goes through — a domain's CPU its p2m, the GPU its DMA tables then the backend's
 * IOMMU — not the whole of an identity IOMMU context: we model XenGT as correct but racy (Tim Deegan's
 * level-1 question), so what the interface lets a correct backend do wrong is what we find.
 */
import type { ReachEntry, ReachSource } from './core/path.ts';
import type { State } from './core/state.ts';
import { SLICES } from './slices.ts';

/** Every source of reach, in order: each slice's, in the listing's order (slices.ts). */
const REACH_SOURCES: readonly ReachSource[] = SLICES.flatMap((s) => s.reach);

/** Compute the `reach` relation. */
export function reach(state: State): ReachEntry[] {
  const out: ReachEntry[] = [];
  for (const source of REACH_SOURCES) source(state, out);
  return out;
}
