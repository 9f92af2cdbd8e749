/**
 * Paths: how a principal reaches a frame, or where a reference to a frame is held. A path is a list
 * of hops, each plain data naming the structure it goes through (a p2m entry, an IOMMU entry, a DMA
 * table slot, a grant…), so witnesses are JSON and rendering them for people is a separate concern.
 */
import type { DomId } from './state.ts';

/** One hop of a path: `via` names the structure, the other fields locate the entry in it. */
export type Hop = { via: string } & Record<string, string | number | boolean>;

/**
 * Who touches memory. `dom` is the domain whose authority the principal acts under: a domain's CPU,
 * the GPU running for a backend (on behalf of client `client`), a device assigned to a domain.
 */
export interface Principal {
  kind: 'cpu' | 'gpu' | 'device';
  dom: DomId;
  /** For the GPU: the client VM whose commands it runs. */
  client?: DomId;
  /** For a device: its name. */
  device?: string;
}

/** One fact of the `reach` relation: principal reaches frame `mfn` (for writing when `write`) via `path`. */
export interface ReachEntry {
  principal: Principal;
  mfn: number;
  write: boolean;
  path: Hop[];
}

/**
 * One fact of the `refs` relation: a live reference to frame `mfn`, taken when the frame had generation
 * `gen`, held at `holder`. `counted` says whether Xen took a reference count for it.
 */
export interface Ref {
  mfn: number;
  gen: number;
  counted: boolean;
  holder: Hop;
}
