/**
 * The `reach` relation: every (principal, frame, path) such that the principal can touch the frame
 * now. Computed from the state, never stored. A principal reaches what is actually programmed into
 * the structures it goes through — a domain's CPU its p2m, the GPU its DMA tables then the backend's
 * IOMMU — not the whole of an identity IOMMU context: we model XenGT as correct but racy (Tim Deegan's
 * level-1 question), so what the interface lets a correct backend do wrong is what we find.
 */
import { deviceReach } from './deviceDma.ts';
import { gpuReach } from './gpu.ts';
import type { Hop, Principal, ReachEntry } from './path.ts';
import type { P2mEntry, State } from './state.ts';

/**
 * A CPU reach fact whose path is built only when someone asks (a witness): reach is rebuilt after
 * every step of every run, and almost every fact is read for its frame alone.
 */
class P2mReach implements ReachEntry {
  constructor(
    readonly principal: Principal,
    readonly mfn: number,
    readonly write: boolean,
    private readonly gfn: number,
    private readonly entry: P2mEntry,
  ) {}
  get path(): Hop[] {
    const e = this.entry;
    const path: Hop[] = [{ via: 'p2m', dom: this.principal.dom, gfn: this.gfn, type: e.type }];
    if (e.grant !== undefined) path.push({ via: 'grant', granter: e.grant.granter, ref: e.grant.ref });
    if (e.foreign !== undefined) path.push({ via: 'foreign', dom: e.foreign.dom, gfn: e.foreign.gfn });
    return path;
  }
  toJSON(): ReachEntry {
    return { principal: this.principal, mfn: this.mfn, write: this.write, path: this.path };
  }
}

/** A domain's CPU reaches each frame its p2m maps, except `mmio_dm`, whose accesses become IOREQs. */
function cpuReach(state: State, out: ReachEntry[]): void {
  for (const d of state.domains) {
    if (d.state !== 'alive') continue;
    // One principal object per domain, shared by its entries.
    const principal: Principal = { kind: 'cpu', dom: d.id };
    for (let gfn = 0; gfn < d.p2m.length; gfn++) {
      const e = d.p2m[gfn];
      if (e === null || e.type === 'mmio_dm') continue;
      out.push(new P2mReach(principal, e.mfn, e.type !== 'ram_ro' && e.type !== 'grant_map_ro', gfn, e));
    }
  }
}

/** Every source of reach, in order. A subsystem with a new principal or path adds its function here. */
const REACH_SOURCES: ((state: State, out: ReachEntry[]) => void)[] = [cpuReach, gpuReach, deviceReach];

/** Compute the `reach` relation. */
export function reach(state: State): ReachEntry[] {
  const out: ReachEntry[] = [];
  for (const source of REACH_SOURCES) source(state, out);
  return out;
}
