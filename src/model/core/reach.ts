/**
 * What a domain's CPU reaches: each frame its p2m maps. The core's first source of `reach` facts
 * (src/model/reach.ts concatenates every slice's).
 */
import { P2mReach, p2mWritable } from './p2mPath.ts';
import type { Principal, ReachEntry } from './path.ts';
import type { State } from './state.ts';

/** A domain's CPU reaches each frame its p2m maps, except `mmio_dm`, whose accesses become IOREQs. */
export function cpuReach(state: State, out: ReachEntry[]): void {
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
