/**
 * The references p2m tables and IOMMU contexts hold: the core's first source of `refs` facts
 * (src/model/refs.ts concatenates every slice's).
 */
import type { Hop, Ref } from './path.ts';
import type { P2mType, State } from './state.ts';

/** A reference in a p2m or IOMMU table; its holder hop is built only when a witness asks for it. */
class TableRef implements Ref {
  constructor(
    readonly mfn: number,
    readonly gen: number,
    readonly counted: boolean,
    private readonly dom: number,
    private readonly index: number,
    /** The p2m type, or undefined for an IOMMU entry. */
    private readonly type: P2mType | undefined,
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
export function tableRefs(state: State, out: Ref[]): void {
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
