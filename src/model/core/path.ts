/**
 * Paths: how a principal reaches a frame, or where a reference to a frame is held. A path is a list
 * of hops, each plain data naming the structure it goes through (a p2m entry, an IOMMU entry, a DMA
 * table slot, a grant…), so witnesses are JSON and rendering them for people is a separate concern.
 */
import type { DmaTableEntry, DomId, P2mType, State } from './state.ts';

/** Through `dom`'s p2m entry at `gfn` (`type` is left out where a witness names only the slot). */
export interface P2mHop {
  readonly via: 'p2m';
  readonly dom: DomId;
  readonly gfn: number;
  readonly type?: P2mType;
}

/**
 * Through `dom`'s IOMMU at bus frame `bfn`: its own table, the identity over RAM of a PV dom0
 * (`identity`), or the p2m itself walked as an IOMMU table (`shared`, shared EPT).
 */
export interface IommuHop {
  readonly via: 'iommu';
  readonly dom: DomId;
  readonly bfn: number;
  readonly identity?: boolean;
  readonly shared?: boolean;
}

/** Through grant `ref` of `granter`'s grant table: where a grant-mapped p2m entry came from. */
export interface GrantHop {
  readonly via: 'grant';
  readonly granter: DomId;
  readonly ref: number;
}

/** Through a foreign map of target `dom`'s `gfn`: where a foreign p2m entry came from. */
export interface ForeignHop {
  readonly via: 'foreign';
  readonly dom: DomId;
  readonly gfn: number;
}

/**
 * Through virtio-GPU Map `handle`: where a Map-installed p2m entry came from. The p2m entry records
 * it (`P2mEntry.map`), so the core builds this hop when it walks a p2m entry; `dom`/`gfn` say where the
 * Map put the frame when a witness names the Map alone.
 */
export interface VirtioMapHop {
  readonly via: 'virtioMap';
  readonly handle: number;
  readonly dom?: DomId;
  readonly gfn?: number;
}

/** Through slot `slot` of the flat DMA table `backend`'s device model keeps for `client` (with what it held when witnessed). */
export interface DmaTableHop {
  readonly via: 'dmaTable';
  readonly backend: DomId;
  readonly client: DomId;
  readonly slot: number;
  readonly gfn?: number;
  readonly addr?: number;
  readonly addrKind?: DmaTableEntry['addrKind'];
}

/**
 * Through a translation cached in an IOTLB (`ctx`: the context's key, core/device/context.ts) for bus
 * frame `bfn`; a held-back put_page waiting for the flush is `deferredPut`.
 */
export interface IotlbHop {
  readonly via: 'iotlb';
  readonly ctx: string;
  readonly bfn: number;
  readonly deferredPut?: boolean;
}

/** The core's hops, by `via`. */
export interface CoreHops {
  p2m: P2mHop;
  iommu: IommuHop;
  grant: GrantHop;
  foreign: ForeignHop;
  virtioMap: VirtioMapHop;
  dmaTable: DmaTableHop;
  iotlb: IotlbHop;
}

/**
 * Every kind of hop, by its `via`: the core's, and each slice's, which src/model/slices.ts merges in
 * (interface merging) so that the core names no slice and `Hop` is still one closed union that every
 * `switch (hop.via)` and every table of hop words is checked against.
 */
export interface HopKinds extends CoreHops {}

/** One hop of a path: a discriminated union on `via`; the other fields locate the entry. */
export type Hop = HopKinds[keyof HopKinds];

/** The hop with a given `via`. */
export type HopOf<V extends Hop['via']> = Extract<Hop, { via: V }>;

/**
 * Who touches memory. `dom` is the domain whose authority the principal acts under: a domain's CPU,
 * the GPU running for a backend (on behalf of client `client`), a device assigned to a domain.
 */
export interface Principal {
  readonly kind: 'cpu' | 'gpu' | 'device';
  readonly dom: DomId;
  /** For the GPU: the client VM whose commands it runs. */
  readonly client?: DomId;
  /** For a device: its name. */
  readonly device?: string;
}

/** One fact of the `reach` relation: principal reaches frame `mfn` (for writing when `write`) via `path`. */
export interface ReachEntry {
  readonly principal: Principal;
  readonly mfn: number;
  readonly write: boolean;
  readonly path: Hop[];
}

/**
 * One fact of the `refs` relation: a live reference to frame `mfn`, taken when the frame had generation
 * `gen`, held at `holder`. `counted` says whether Xen took a reference count for it.
 */
export interface Ref {
  readonly mfn: number;
  readonly gen: number;
  readonly counted: boolean;
  readonly holder: Hop;
}

/** A source of `reach` facts: appends what one structure lets principals touch, in a fixed order. */
export type ReachSource = (state: State, out: ReachEntry[]) => void;

/** A source of `refs` facts: appends the references one structure holds, in a fixed order. */
export type RefSource = (state: State, out: Ref[]) => void;
