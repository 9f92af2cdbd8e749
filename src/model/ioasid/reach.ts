/**
 * The IOASID slice's part of the derived relations (seed 001). reach: what each device touches now —
 * by RID or its group's shared context, by vPASID or a bound guest PASID table, the bound table pages
 * the IOMMU reads for it, an mdev's access pins, ENQCMD through KVM's PASID table, and DMAs in flight
 * walked as the device's context is now. refs: root DMA mappings and registered pages (counted: the
 * pin), mdev access pins (counted), shadow entries (uncounted, at the generation the kernel resolved).
 */
import type { Hop, Principal, ReachEntry, Ref } from '../core/path.ts';
import type { State } from '../core/state.ts';
import { IOVA_PAGES, liveIoasid, ridContext } from './lookup.ts';
import type { IoasidState, IoDevice } from './state.ts';
import { translateDma } from '../core/device/translate.ts';
import { ioasidDmaContext } from './deviceContext.ts';
import { hit, requestPasids, tablePage, walkIoasid } from './translate.ts';

function push(out: ReachEntry[], principal: Principal, mfn: number, write: boolean, path: Hop[]): void {
  out.push({ principal, mfn, write, path });
}

/** The bound table pages the IOMMU reads for a device: its RID context's, and those of its vPASIDs' IOASIDs. */
function tableReads(state: State, s: IoasidState, dev: IoDevice, principal: Principal, out: ReachEntry[]): void {
  const ctx = ridContext(s, dev);
  const seen: { fd: number; ioasid: number; how: 'rid' | 'group' | 'pasid'; pasid?: number }[] = [];
  if (ctx !== null) seen.push({ ...ctx, how: dev.group >= 0 ? 'group' : 'rid' });
  for (const p of dev.pasids) seen.push({ fd: p.fd, ioasid: p.ioasid, how: 'pasid', pasid: p.vpasid });
  for (const c of seen) {
    if (liveIoasid(s, c.fd, c.ioasid)?.bound == null) continue;
    const t = tablePage(state, s, c.fd, c.ioasid);
    if (t === undefined) continue;
    const attach: Hop = { via: 'ioasidAttach', device: dev.name, how: c.how, fd: c.fd, ioasid: c.ioasid, ...(c.pasid === undefined ? {} : { pasid: c.pasid }) };
    push(out, principal, t.mfn, false, [attach, ...t.hops]);
  }
}

function deviceReach(state: State, s: IoasidState, dev: IoDevice, out: ReachEntry[]): void {
  if (state.domains[dev.owner]?.state !== 'alive') return;
  const principal: Principal = { kind: 'device', dom: dev.owner, device: dev.name };
  if (dev.kind === 'pdev') {
    // Translated as the core's device-DMA model would (its IOTLB first, then this slice's walk).
    for (const pasid of [-1, ...requestPasids(s, dev)]) {
      const c = ioasidDmaContext(s, dev, pasid);
      for (let iova = 0; iova < IOVA_PAGES; iova++) {
        const hops: Hop[] = [];
        const t = translateDma(state, c, iova, hops);
        if (t !== undefined) push(out, principal, t.mfn, t.write, hops);
      }
    }
    tableReads(state, s, dev, principal, out);
  }
  for (const p of dev.pins) push(out, principal, p.mfn, true, [{ via: 'accessPin', device: dev.name, fd: p.fd, ioasid: p.ioasid, iova: p.iova }]);
  // ENQCMD reaches the device through the portal the guest has only while the device fd is bound.
  if (dev.enqcmdCapable && dev.boundFd >= 0) {
    for (const k of s.kvmPasid[dev.owner] ?? []) {
      for (let iova = 0; iova < IOVA_PAGES; iova++) {
        const w = walkIoasid(state, s, k.fd, k.ioasid, iova);
        const kvm: Hop = { via: 'kvmPasid', dom: dev.owner, guestPasid: k.guestPasid, fd: k.fd, ioasid: k.ioasid };
        if (hit(w)) push(out, principal, w.mfn, w.write, [kvm, ...w.hops]);
      }
    }
  }
  dev.inflight.forEach((x, slot) => {
    const hops: Hop[] = [{ via: 'ioDmaInFlight', device: dev.name, slot, pasid: x.pasid, iova: x.iova }];
    const t = translateDma(state, ioasidDmaContext(s, dev, x.pasid), x.iova, hops);
    if (t !== undefined) push(out, principal, t.mfn, x.write, hops);
  });
}

/** The IOASID reach source (registered in ioasidSlice.ts). */
export function ioasidReach(state: State, out: ReachEntry[]): void {
  const s = state.ioasid;
  if (s === undefined) return;
  for (const dev of s.devices) deviceReach(state, s, dev, out);
}

/** The IOASID reference source (registered in ioasidSlice.ts). */
export function ioasidRefs(state: State, out: Ref[]): void {
  const s = state.ioasid;
  if (s === undefined) return;
  s.fds.forEach((f, fd) => {
    if (f === null) return;
    f.ioasids.forEach((a, ioasid) => {
      if (a === null) return;
      a.maps.forEach((e, iova) => {
        if (e !== null && e.via === 'hva') {
          out.push({ mfn: e.mfn, gen: e.gen, counted: e.bar === undefined, holder: { via: 'ioasidMap', fd, ioasid, iova, hva: e.hva, owner: f.owner } });
        }
      });
      a.shadow.forEach((e, iova) => {
        if (e !== null) out.push({ mfn: e.mfn, gen: e.gen, counted: false, holder: { via: 'ioasidShadow', fd, ioasid, iova, gpa: e.gpa } });
      });
    });
    for (const r of f.registered) {
      r.frames.forEach((x, k) => out.push({ mfn: x.mfn, gen: x.gen, counted: true, holder: { via: 'ioasidRegistered', fd, hva: r.hva + k } }));
    }
  });
  for (const dev of s.devices) {
    for (const p of dev.pins) out.push({ mfn: p.mfn, gen: p.gen, counted: true, holder: { via: 'accessPin', device: dev.name, fd: p.fd, ioasid: p.ioasid, iova: p.iova } });
  }
}
