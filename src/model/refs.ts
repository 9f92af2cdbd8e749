/**
 * The `refs` relation: every live reference to a frame, with the generation it was taken at. Computed
 * from the state, never stored. Stored refcounts are checked against the counted ones
 * (Hyperkernel/Komodo style: refcount == |references|).
 */
import { iommuOnlyRefs } from './rmrr/deviceDma.ts';
import { gpuRefs } from './core/dmaTable.ts';
import type { Hop, Ref } from './core/path.ts';
import type { State } from './core/state.ts';
import { virtioRefs } from './virtio/maps.ts';

/** A reference in a p2m or IOMMU table; its holder hop is built only when a witness asks for it. */
class TableRef implements Ref {
  constructor(
    readonly mfn: number,
    readonly gen: number,
    readonly counted: boolean,
    private readonly dom: number,
    private readonly index: number,
    /** The p2m type, or undefined for an IOMMU entry. */
    private readonly type: string | undefined,
  ) {}
  get holder(): Hop {
    return this.type === undefined
      ? { via: 'iommu', dom: this.dom, bfn: this.index }
      : { via: 'p2m', dom: this.dom, gfn: this.index, type: this.type };
  }
  toJSON(): Ref {
    return { mfn: this.mfn, gen: this.gen, counted: this.counted, holder: this.holder };
  }
}

/** References held in p2m tables (own RAM, grant maps, foreign maps) and non-identity IOMMU contexts. */
function tableRefs(state: State, out: Ref[]): void {
  for (const d of state.domains) {
    if (d.state === 'none' || d.state === 'dead') continue;
    for (let gfn = 0; gfn < d.p2m.length; gfn++) {
      const e = d.p2m[gfn];
      if (e !== null) out.push(new TableRef(e.mfn, e.gen, e.counted, d.id, gfn, e.type));
    }
    for (let bfn = 0; bfn < d.iommu.length; bfn++) {
      const e = d.iommu[bfn];
      if (e !== null) out.push(new TableRef(e.mfn, e.gen, e.counted, d.id, bfn, undefined));
    }
  }
}

/** Every source of references, in order. A subsystem that holds frames adds its function here. */
const REF_SOURCES: ((state: State, out: Ref[]) => void)[] = [tableRefs, gpuRefs, iommuOnlyRefs, virtioRefs];

/** Compute the `refs` relation. */
export function refs(state: State): Ref[] {
  const out: Ref[] = [];
  for (const source of REF_SOURCES) source(state, out);
  return out;
}

/** The live references to one frame. */
export function refsTo(state: State, mfn: number): Ref[] {
  return refs(state).filter((r) => r.mfn === mfn);
}
