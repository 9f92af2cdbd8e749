/**
 * The `reach` relation: every (principal, frame, path) such that the principal can touch the frame
 * now. Computed from the state, never stored. A principal reaches what is actually programmed into
 * the structures it goes through — a domain's CPU its p2m, the GPU its DMA tables then the backend's
 * IOMMU — not the whole of an identity IOMMU context: we model XenGT as correct but racy (Tim Deegan's
 * level-1 question), so what the interface lets a correct backend do wrong is what we find.
 */
import { deviceReach } from './rmrr/deviceDma.ts';
import { gpuReach } from './core/dmaTable.ts';
import { apertureReach } from './gpuShadow/reach.ts';
import { P2mReach, p2mWritable } from './core/p2mPath.ts';
import type { Principal, ReachEntry } from './core/path.ts';
import type { State } from './core/state.ts';
import { virtioReach } from './virtio/maps.ts';

/** A domain's CPU reaches each frame its p2m maps, except `mmio_dm`, whose accesses become IOREQs. */
function cpuReach(state: State, out: ReachEntry[]): void {
  for (const d of state.domains) {
    if (d.state !== 'alive') continue;
    // One principal object per domain, shared by its entries.
    const principal: Principal = { kind: 'cpu', dom: d.id };
    for (let gfn = 0; gfn < d.p2m.length; gfn++) {
      const e = d.p2m[gfn];
      if (e === null || e.type === 'mmio_dm') continue;
      out.push(new P2mReach(principal, e.mfn, p2mWritable(e.type), gfn, e));
    }
  }
}

/** Every source of reach, in order. A subsystem with a new principal or path adds its function here. */
const REACH_SOURCES: ((state: State, out: ReachEntry[]) => void)[] = [cpuReach, gpuReach, apertureReach, deviceReach, virtioReach];

/** Compute the `reach` relation. */
export function reach(state: State): ReachEntry[] {
  const out: ReachEntry[] = [];
  for (const source of REACH_SOURCES) source(state, out);
  return out;
}
