/**
 * Device DMA of assigned PCI devices: which IOMMU context (core/device/context.ts) each device is in,
 * and the `reach` and `refs` facts that follow. The translation itself — page walk, permission rule,
 * IOTLB — is the core's one device-DMA path; this file only says where an RMRR platform's devices sit.
 * A device acts on behalf of a domain: the one that owns it now (it can be told to DMA anywhere its
 * context maps), and, for each DMA already programmed, the domain that programmed it — which, after a
 * deassignment, is no longer the owner.
 *
 * An assigned device of an HVM guest puts GFNs on the bus (BFN == GFN). Under shared EPT the IOMMU
 * walks the p2m; with a separate IOMMU Xen mirrors the p2m into IOMMU page tables, and the 2014 RMRR
 * code may add entries to those tables alone (`iommuOnly`). The quarantine context maps nothing but the
 * identity of the quarantined device's own RMRRs, as Xen's dom_io quarantine does, so firmware-driven
 * DMA to them does not fault.
 */
import type { DmaContext } from '../core/device/context.ts';
import type { DeviceDma } from '../core/device/dma.ts';
import { heldDmaReach } from '../core/device/dma.ts';
import { translateDma } from '../core/device/translate.ts';
import type { Hop, Principal, ReachEntry, Ref } from '../core/path.ts';
import type { PciDevice, Platform } from './platform.ts';
import { deviceRmrrGfns, rmrrOfMfn } from './rmrr.ts';
import type { State } from '../core/state.ts';

/** The IOMMU context `dev` is in now, as the core's device model names it. */
export function deviceContext(p: Platform, dev: PciDevice): DmaContext {
  if (dev.context === 'quarantine') return { kind: 'quarantine', identity: deviceRmrrGfns(p, dev) };
  const dom = dev.context;
  if (p.iommuPt === 'shared-ept') return { kind: 'shared-ept', dom };
  const only = p.domains[dom].iommuOnly;
  return { kind: 'mirror', dom, extra: only.length === 0 ? undefined : (bfn) => only.find((x) => x.bfn === bfn) };
}

/** The hop naming the context `dev`'s DMA to `bfn` is translated in. */
function contextHop(p: Platform, dev: PciDevice, bfn: number): Hop {
  return dev.context === 'quarantine' ? { via: 'context', of: 'quarantine', rmrr: rmrrOfMfn(p, bfn) } : { via: 'context', dom: dev.context, mode: p.iommuPt };
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
  ) {}
  get path(): Hop[] {
    const p = this.state.platform!;
    const hops: Hop[] = [{ via: 'dma', device: this.dev.name, bfn: this.bfn }, contextHop(p, this.dev, this.bfn)];
    translateDma(this.state, deviceContext(p, this.dev), this.bfn, hops);
    return hops;
  }
  toJSON(): ReachEntry {
    return { principal: this.principal, mfn: this.mfn, write: this.write, path: this.path };
  }
}

/** The first hops of a programmed DMA's path: the DMA, and the context it will be performed in. */
function inflightHops(p: Platform, dev: PciDevice, x: DeviceDma): Hop[] {
  return [{ via: 'dma', device: dev.name, bfn: x.bfn, by: x.by, inflight: true }, contextHop(p, dev, x.bfn)];
}

/** Add what every device can reach: for its owner through its whole context, and each DMA in flight. */
export function deviceReach(state: State, out: ReachEntry[]): void {
  const p = state.platform;
  if (p === undefined) return;
  for (const dev of p.devices) {
    const c = deviceContext(p, dev);
    // A quarantined device has no owner to drive it; only its DMA in flight can still happen.
    if (dev.owner !== null && dev.context !== 'quarantine' && state.domains[dev.owner].state === 'alive') {
      const principal: Principal = { kind: 'device', dom: dev.owner, device: dev.name };
      const n = state.domains[dev.context].p2m.length;
      for (let bfn = 0; bfn < n; bfn++) {
        const t = translateDma(state, c, bfn);
        if (t !== undefined) out.push(new DeviceReach(principal, t.mfn, t.write, state, dev, bfn));
      }
    }
    for (const x of dev.inflight) {
      const r = heldDmaReach(state, c, x, inflightHops(p, dev, x));
      if (r !== undefined) out.push(r);
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

/** Translate `bfn` as `dev` would now (its context, the IOTLB first); the hops after the DMA hop, or undefined on a fault. */
export function translateDeviceBfn(state: State, p: Platform, dev: PciDevice, bfn: number): { mfn: number; write: boolean; hops: Hop[] } | undefined {
  const hops: Hop[] = [contextHop(p, dev, bfn)];
  const t = translateDma(state, deviceContext(p, dev), bfn, hops);
  return t === undefined ? undefined : { mfn: t.mfn, write: t.write, hops };
}
