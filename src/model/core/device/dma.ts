/**
 * DMA a device was told to do: programmed by the domain driving it (a descriptor with a bus address)
 * and performed later, through whatever context the device is in by then. A transfer the device has
 * started holds the frame its translation reached (`mfn`, `gen`) until it finishes — the IOTLB flush
 * that follows an unmap waits for such transfers (Xen's and VT-d's invalidation wait), so it drains them.
 * RMRR's assigned devices and the virtio frontend's passthrough device keep their DMA in this one shape.
 */
import type { Hop, Principal, ReachEntry, Ref } from '../path.ts';
import { pushP2mHops } from '../p2mPath.ts';
import type { DomId, State } from '../state.ts';
import type { DmaContext } from './context.ts';
import { translateDma } from './translate.ts';

/** One DMA a device holds. */
export interface DeviceDma {
  /** The domain that programmed it: the device acts on its behalf, whatever context it is in by then. */
  readonly by: DomId;
  readonly device: string;
  /** The bus address (for an HVM guest's device, a GFN: BFN == GFN). */
  readonly bfn: number;
  readonly write: boolean;
  /** Once started: the frame the translation reached, and its generation then. */
  readonly mfn?: number;
  readonly gen?: number;
}

/** The principal a DMA acts as: the device, for the domain that programmed it. */
export function dmaPrincipal(x: DeviceDma): Principal {
  return { kind: 'device', dom: x.by, device: x.device };
}

/**
 * The reach fact of one DMA a device holds, or undefined when it would fault. A started transfer
 * reaches the frame it translated to (with the p2m hops while `dom`'s entry at the address still maps
 * it); one only programmed reaches whatever `c` translates its address to now. `first` is the slice's
 * own hops (the DMA, the context it is in).
 */
export function heldDmaReach(state: State, c: DmaContext, x: DeviceDma, first: Hop[], p2mDom?: DomId): ReachEntry | undefined {
  const principal = dmaPrincipal(x);
  if (x.mfn !== undefined && x.gen !== undefined) {
    const path = [...first];
    const e = p2mDom === undefined ? undefined : state.domains[p2mDom].p2m[x.bfn];
    if (e !== null && e !== undefined && e.mfn === x.mfn && e.gen === x.gen) pushP2mHops(path, p2mDom!, x.bfn, e);
    return { principal, mfn: x.mfn, write: x.write, path };
  }
  const hops = [...first];
  const t = translateDma(state, c, x.bfn, hops);
  if (t === undefined) return undefined;
  return { principal, mfn: t.mfn, write: x.write && t.write, path: hops };
}

/** The reference a started transfer holds: it names its frame without a count (the flush waits for it). */
export function heldDmaRef(x: DeviceDma, holder: Hop): Ref | undefined {
  if (x.mfn === undefined || x.gen === undefined) return undefined;
  return { mfn: x.mfn, gen: x.gen, counted: false, holder };
}
