/**
 * Device DMA through the IOMMU: how a device's bus address is translated by the context it is in at
 * that moment, and the `reach` and `refs` facts that follow. A device acts on behalf of a domain: the
 * one that owns it now (it can be told to DMA anywhere its context maps), and, for each DMA already
 * programmed, the domain that programmed it — which, after a deassignment, is no longer the owner.
 *
 * An assigned device of an HVM guest puts GFNs on the bus (BFN == GFN). Under shared EPT the IOMMU
 * walks the p2m; with a separate IOMMU Xen mirrors the p2m into IOMMU page tables (p2m_get_iommu_flags:
 * RAM and grant maps, read-only where the p2m is; direct MMIO read-write; foreign maps and emulated
 * MMIO not at all), and the 2014 RMRR code may add entries to those tables alone (`iommuOnly`). The
 * quarantine context maps nothing but the identity of the quarantined device's own RMRRs, as Xen's
 * dom_io quarantine does, so firmware-driven DMA to them does not fault.
 */
import { p2mWritable, pushP2mHops } from '../core/p2mPath.ts';
import type { Hop, Principal, ReachEntry, Ref } from '../core/path.ts';
import type { PciDevice, Platform } from './platform.ts';
import { deviceRmrrGfns, rmrrOfMfn } from './rmrr.ts';
import type { DomId, P2mType, State } from '../core/state.ts';

/** What a separate IOMMU's mirror of the p2m grants per p2m type (Xen's p2m_get_iommu_flags). */
const MIRROR: Record<P2mType, 'rw' | 'r' | null> = {
  ram_rw: 'rw',
  ram_ro: 'r',
  grant_map_rw: 'rw',
  grant_map_ro: 'r',
  mmio_direct: 'rw',
  mmio_dm: null,
  foreign: null,
};

/** A translation: the frame a bus address reaches, whether writably, and the hops after the DMA hop. */
export interface DeviceTranslation {
  mfn: number;
  write: boolean;
  hops: Hop[];
}

/**
 * Walk `dev`'s current context for `bfn`: the frame and whether it is writable, or undefined when the
 * IOMMU would fault. The hops are pushed onto `hops` when given (only a witness needs them).
 */
function walk(state: State, p: Platform, dev: PciDevice, bfn: number, hops?: Hop[]): { mfn: number; write: boolean } | undefined {
  if (dev.context === 'quarantine') {
    if (!deviceRmrrGfns(p, dev).includes(bfn)) return undefined;
    hops?.push({ via: 'context', of: 'quarantine', rmrr: rmrrOfMfn(p, bfn) });
    return { mfn: bfn, write: true };
  }
  const dom = dev.context;
  const d = state.domains[dom];
  if (d === undefined || d.state === 'none' || d.state === 'dead') return undefined;
  if (p.iommuPt === 'separate') {
    const only = p.domains[dom].iommuOnly.find((x) => x.bfn === bfn);
    if (only !== undefined) {
      hops?.push({ via: 'context', dom, mode: p.iommuPt }, { via: 'iommu', dom, bfn, identity: only.mfn === bfn });
      return { mfn: only.mfn, write: true };
    }
  }
  const e = d.p2m[bfn];
  if (e === null || e === undefined) return undefined;
  let write: boolean;
  if (p.iommuPt === 'separate') {
    const flags = MIRROR[e.type];
    if (flags === null) return undefined;
    write = flags === 'rw';
  } else {
    if (e.type === 'mmio_dm') return undefined;
    write = p2mWritable(e.type);
  }
  if (hops !== undefined) {
    hops.push({ via: 'context', dom, mode: p.iommuPt });
    pushP2mHops(hops, dom, bfn, e);
  }
  return { mfn: e.mfn, write };
}

/** Translate `bfn` through the IOMMU context `dev` is in now; undefined when the IOMMU would fault. */
export function translateDeviceBfn(state: State, p: Platform, dev: PciDevice, bfn: number): DeviceTranslation | undefined {
  const hops: Hop[] = [];
  const t = walk(state, p, dev, bfn, hops);
  return t === undefined ? undefined : { mfn: t.mfn, write: t.write, hops };
}

/** A device reach fact; its path is walked again only when a witness asks for it (reach is rebuilt every step). */
class DeviceReach implements ReachEntry {
  constructor(
    readonly principal: Principal,
    readonly mfn: number,
    readonly write: boolean,
    private readonly state: State,
    private readonly dev: PciDevice,
    private readonly bfn: number,
    /** The programming domain for a DMA in flight; undefined for what the owner can make it do. */
    private readonly by: DomId | undefined,
  ) {}
  get path(): Hop[] {
    const dev = this.dev;
    const first: Hop =
      this.by === undefined ? { via: 'dma', device: dev.name, bfn: this.bfn } : { via: 'dma', device: dev.name, bfn: this.bfn, by: this.by, inflight: true };
    const hops: Hop[] = [first];
    walk(this.state, this.state.platform!, dev, this.bfn, hops);
    return hops;
  }
  toJSON(): ReachEntry {
    return { principal: this.principal, mfn: this.mfn, write: this.write, path: this.path };
  }
}

/** Add what every device can reach: for its owner through its whole context, and each DMA in flight. */
export function deviceReach(state: State, out: ReachEntry[]): void {
  const p = state.platform;
  if (p === undefined) return;
  for (const dev of p.devices) {
    // A quarantined device has no owner to drive it; only its DMA in flight can still happen.
    if (dev.owner !== null && dev.context !== 'quarantine' && state.domains[dev.owner].state === 'alive') {
      const principal: Principal = { kind: 'device', dom: dev.owner, device: dev.name };
      const n = state.domains[dev.context].p2m.length;
      for (let bfn = 0; bfn < n; bfn++) {
        const t = walk(state, p, dev, bfn);
        if (t !== undefined) out.push(new DeviceReach(principal, t.mfn, t.write, state, dev, bfn, undefined));
      }
    }
    for (const f of dev.inflight) {
      const t = walk(state, p, dev, f.bfn);
      if (t === undefined) continue;
      out.push(new DeviceReach({ kind: 'device', dom: f.by, device: dev.name }, t.mfn, f.write && t.write, state, dev, f.bfn, f.by));
    }
  }
}

/** Add the references IOMMU-only entries hold: uncounted, as Xen takes none for reserved memory. */
export function iommuOnlyRefs(state: State, out: Ref[]): void {
  const p = state.platform;
  if (p === undefined) return;
  p.domains.forEach((dp, dom) => {
    const st = state.domains[dom]?.state;
    if (st === undefined || st === 'none' || st === 'dead') return;
    for (const x of dp.iommuOnly) out.push({ mfn: x.mfn, gen: x.gen, counted: false, holder: { via: 'iommu', dom, bfn: x.bfn, identity: x.mfn === x.bfn } });
  });
}
