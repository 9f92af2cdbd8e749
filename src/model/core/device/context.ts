/**
 * IOMMU contexts and the page walk a device's bus address goes through — the one DMA-translation path
 * of the model. Every device (an assigned PCI function, a virtio frontend's passthrough device, the GPU
 * behind a XenGT backend) sits in one context:
 *  - `identity`: a PV dom0's 1:1 map over RAM (BFN == MFN);
 *  - `table`: IOMMU page tables of the domain's own holding only what was mapped into them (a PV
 *    backend's map-for-DMA BFNs and grant device maps, `Domain.iommu`);
 *  - `shared-ept`: the IOMMU walks the domain's p2m (`iommu_hap_pt_share`; a PVH backend's IOMMU *is*
 *    its p2m, seed 000's drawing);
 *  - `mirror`: separate IOMMU tables Xen keeps in sync with the p2m (`p2m_get_iommu_flags` per entry),
 *    plus entries a caller put in those tables alone (`extra`: the 2014 RMRR code's IOMMU-only maps);
 *  - `quarantine`: Xen's dom_io context for a deassigned device: the identity over its own reserved
 *    frames and nothing else.
 * Which context a device is in is its slice's business; what a context translates is decided here.
 */
import type { Hop } from '../path.ts';
import { pushP2mHops } from '../p2mPath.ts';
import type { DomId, Frame, State } from '../state.ts';
import { iommuFlags } from './flags.ts';

/** An entry a caller put in a mirror context's IOMMU tables but not the p2m. */
export interface ExtraIommuEntry {
  readonly mfn: number;
  readonly gen: number;
}

/** Where a device's DMA is translated. */
export type DmaContext =
  | { readonly kind: 'identity'; readonly dom: DomId }
  | { readonly kind: 'table'; readonly dom: DomId }
  | { readonly kind: 'shared-ept'; readonly dom: DomId }
  | { readonly kind: 'mirror'; readonly dom: DomId; readonly extra?: (bfn: number) => ExtraIommuEntry | undefined }
  | { readonly kind: 'quarantine'; readonly identity: readonly number[] };

/** A translation: the frame a bus address reaches, the generation it had when mapped, and whether writably. */
export interface Walk {
  readonly mfn: number;
  readonly gen: number;
  readonly write: boolean;
}

/**
 * The IOTLB a context's translations are cached in: one per domain (a VT-d domain id), one for the
 * quarantine context. Devices of different slices in one domain's context share it, as on hardware.
 */
export function contextKey(c: DmaContext): string {
  return c.kind === 'quarantine' ? 'quarantine' : `dom${c.dom}`;
}

/** The context a domain's own devices (and the GPU behind it, for a backend) translate in, from its kind. */
export function domainContext(state: State, dom: DomId): DmaContext {
  const d = state.domains[dom];
  if (d.kind === 'pv-dom0') return { kind: 'identity', dom };
  return d.iommuPt === 'shared-ept' ? { kind: 'shared-ept', dom } : { kind: 'table', dom };
}

/** Whether a context's domain can have its devices DMA at all (it exists and is not yet dead). */
function usable(state: State, dom: DomId): boolean {
  const st = state.domains[dom]?.state;
  return st !== undefined && st !== 'none' && st !== 'dead';
}

/**
 * Whether a PV dom0's identity context leaves this frame out: Xen's own frames, when the world follows
 * Kevin Tian's reading (seed 000, 2014-12-12 06:29: "dom0 can't DMA into Xen's data structure (this is
 * ensured even for default 1:1 identity mapping)"; Xen's remove_xen_ranges). The model's default is
 * Tim Deegan's reading — only IOMMU tables of a driver domain keep the GPU out of Xen — so the identity
 * covers every RAM frame unless the world says otherwise (`dom0IdentityCoversXen`, adversary.ts).
 */
function hiddenFromIdentity(state: State, f: Frame): boolean {
  return f.owner.kind === 'xen' && state.adversary?.identityCoversXen === false;
}

/**
 * Walk context `c`'s page tables for `bfn`: the frame reached, or undefined when the IOMMU would fault.
 * The hops are pushed onto `hops` when given (only a witness needs them): the IOMMU entry for a table
 * or identity context, the p2m entry (and its provenance) for a context that is or mirrors the p2m.
 */
export function walkContext(state: State, c: DmaContext, bfn: number, hops?: Hop[]): Walk | undefined {
  switch (c.kind) {
    case 'quarantine': {
      if (!c.identity.includes(bfn)) return undefined;
      return { mfn: bfn, gen: state.frames[bfn]?.gen ?? 0, write: true };
    }
    case 'identity': {
      const f = state.frames[bfn];
      if (f === undefined || f.kind !== 'ram' || hiddenFromIdentity(state, f)) return undefined;
      hops?.push({ via: 'iommu', dom: c.dom, bfn, identity: true });
      return { mfn: bfn, gen: f.gen, write: true };
    }
    case 'table': {
      const e = state.domains[c.dom]?.iommu[bfn];
      if (e === null || e === undefined) return undefined;
      hops?.push({ via: 'iommu', dom: c.dom, bfn, identity: false });
      // A grant device mapping (xengt-grant programs such BFNs): the grant is what allows the reach.
      if (e.source?.kind === 'grant') hops?.push({ via: 'grant', granter: e.source.granter, ref: e.source.ref });
      return { mfn: e.mfn, gen: e.gen, write: true };
    }
    case 'shared-ept':
    case 'mirror': {
      if (!usable(state, c.dom)) return undefined;
      if (c.kind === 'mirror' && c.extra !== undefined) {
        const only = c.extra(bfn);
        if (only !== undefined) {
          hops?.push({ via: 'iommu', dom: c.dom, bfn, identity: only.mfn === bfn });
          return { mfn: only.mfn, gen: only.gen, write: true };
        }
      }
      const e = state.domains[c.dom].p2m[bfn];
      if (e === null || e === undefined) return undefined;
      const flags = iommuFlags(e.type);
      if (flags === null) return undefined;
      if (hops !== undefined) pushP2mHops(hops, c.dom, bfn, e);
      return { mfn: e.mfn, gen: e.gen, write: flags === 'rw' };
    }
  }
}
