/**
 * How the IOMMU translates a device's request in the IOASID model: from the device's attachment (RID,
 * its group's shared context, a vPASID, or a bound guest PASID table) through the IOASID — a root's DMA
 * mapping, a software-nested child's shadow, or a hardware-nested child's guest stage-1 table walked
 * through the parent — to a frame. One pure function of the stored state, shared by the ops that do DMA
 * and by the reach source, so the two cannot disagree. It is the walk of the slice's contexts in the
 * core's one device-DMA model (deviceContext.ts: core/device's `slice` context, IOTLB first).
 */
import type { Hop } from '../core/path.ts';
import type { State } from '../core/state.ts';
import { IOVA_PAGES, liveFd, liveIoasid, ridContext, TABLE_ENTRIES } from './lookup.ts';
import type { Ioasid, IoasidState, IoDevice, RootMap } from './state.ts';

/** A request that reached a frame: the frame and generation it names, and the path it took. */
export interface Translation {
  readonly mfn: number;
  readonly gen: number;
  readonly write: boolean;
  readonly hops: Hop[];
}

/** Why a request faulted. */
export type Miss = 'no-context' | 'not-mapped' | 'stage1-names-unmapped-gpa' | 'table-unreadable';

/** A translation, or the IOASID it faulted in (when one was walked) and why. */
export type Walk = Translation | { readonly miss: Miss; readonly fd: number; readonly ioasid: number };

/** Whether a walk reached a frame. */
export function hit(w: Walk): w is Translation {
  return (w as Translation).mfn !== undefined;
}

function rootEntry(a: Ioasid | undefined, iova: number): RootMap | undefined {
  const e = a?.maps[iova];
  return e !== null && e !== undefined && e.via === 'hva' ? e : undefined;
}

/** The frame of a root IOASID at `iova`, with its map hop. */
function walkRoot(s: IoasidState, fd: number, id: number, iova: number): Walk {
  const e = rootEntry(liveIoasid(s, fd, id), iova);
  if (e === undefined) return { miss: 'not-mapped', fd, ioasid: id };
  const hop: Hop = { via: 'ioasidMap', fd, ioasid: id, iova, hva: e.hva, owner: s.fds[fd]!.owner };
  return { mfn: e.mfn, gen: e.gen, write: true, hops: [hop] };
}

/** Where a bound table page is: a GPA through the parent's mapping, or a host frame used as it is. */
export function tablePage(state: State, s: IoasidState, fd: number, id: number): { mfn: number; gen: number; hops: Hop[] } | undefined {
  const a = liveIoasid(s, fd, id);
  if (a === undefined || a.bound === null) return undefined;
  if ('hpa' in a.bound) {
    const f = state.frames[a.bound.hpa];
    if (f === undefined) return undefined;
    return { mfn: a.bound.hpa, gen: f.gen, hops: [{ via: 'ioasidTablePage', fd, ioasid: id, addrKind: 'hpa', addr: a.bound.hpa }] };
  }
  const e = rootEntry(liveIoasid(s, fd, a.parent), a.bound.gpa);
  if (e === undefined) return undefined;
  const parentHop: Hop = { via: 'ioasidMap', fd, ioasid: a.parent, iova: a.bound.gpa, hva: e.hva, owner: s.fds[fd]!.owner };
  return { mfn: e.mfn, gen: e.gen, hops: [{ via: 'ioasidTablePage', fd, ioasid: id, addrKind: 'gpa', addr: a.bound.gpa }, parentHop] };
}

/** Entry `index` of the guest table in frame `mfn` at generation `gen`, or -1 (not present, or written at another generation). */
export function tableEntry(s: IoasidState, mfn: number, gen: number, index: number): number {
  const p = s.pages[mfn];
  return p === undefined || p.gen !== gen ? -1 : (p.entries[index] ?? -1);
}

/** A GPA the guest's table names, translated through the parent (stage 2). */
function throughParent(s: IoasidState, fd: number, parent: number, gpa: number, before: Hop[]): Walk {
  const w = walkRoot(s, fd, parent, gpa);
  return hit(w) ? { ...w, hops: [...before, ...w.hops] } : { miss: 'stage1-names-unmapped-gpa', fd, ioasid: parent };
}

/** Walk IOASID `id` of fd `fd` at `iova`: root mapping, software shadow, or guest stage 1 through the parent. */
export function walkIoasid(state: State, s: IoasidState, fd: number, id: number, iova: number): Walk {
  const a = liveIoasid(s, fd, id);
  if (a === undefined || !Number.isInteger(iova) || iova < 0 || iova >= IOVA_PAGES) return { miss: 'not-mapped', fd, ioasid: id };
  if (a.parent < 0) return walkRoot(s, fd, id, iova);
  if (a.kind === 'pasidtbl') return { miss: 'no-context', fd, ioasid: id };
  if (a.bound === null) {
    const sh = a.shadow[iova];
    if (sh === null || sh === undefined) return { miss: 'not-mapped', fd, ioasid: id };
    return { mfn: sh.mfn, gen: sh.gen, write: true, hops: [{ via: 'ioasidShadow', fd, ioasid: id, iova, gpa: sh.gpa }] };
  }
  const t = tablePage(state, s, fd, id);
  if (t === undefined) return { miss: 'table-unreadable', fd, ioasid: id };
  const gpa = tableEntry(s, t.mfn, t.gen, iova);
  if (gpa < 0) return { miss: 'not-mapped', fd, ioasid: id };
  return throughParent(s, fd, a.parent, gpa, [{ via: 'ioasidGuestTable', fd, ioasid: id, table: 'stage1', index: iova, gpa }]);
}

/**
 * Walk a PASID through a bound guest PASID table (§5.7): its entry names the stage-1 root (a GPA),
 * whose entry names the GPA the parent maps.
 */
function walkPasidTable(state: State, s: IoasidState, fd: number, tbl: number, pasid: number, iova: number): Walk {
  const a = liveIoasid(s, fd, tbl)!;
  const t = tablePage(state, s, fd, tbl);
  if (t === undefined || pasid >= TABLE_ENTRIES) return { miss: 'table-unreadable', fd, ioasid: tbl };
  const s1 = tableEntry(s, t.mfn, t.gen, pasid);
  if (s1 < 0) return { miss: 'not-mapped', fd, ioasid: tbl };
  const s1Hop: Hop = { via: 'ioasidGuestTable', fd, ioasid: tbl, table: 'pasid', index: pasid, gpa: s1 };
  const root = walkRoot(s, fd, a.parent, s1);
  if (!hit(root)) return { miss: 'stage1-names-unmapped-gpa', fd, ioasid: a.parent };
  const gpa = tableEntry(s, root.mfn, root.gen, iova);
  if (gpa < 0) return { miss: 'not-mapped', fd, ioasid: tbl };
  return throughParent(s, fd, a.parent, gpa, [s1Hop, { via: 'ioasidGuestTable', fd, ioasid: tbl, table: 'stage1', index: iova, gpa }]);
}

/**
 * A device's request (`pasid` -1: no PASID) translated now. An mdev has no RID: its DMA is by host
 * address, through its access pins (and ENQCMD through KVM), never through this walk.
 */
export function walkRequest(state: State, s: IoasidState, dev: IoDevice, pasid: number, iova: number): Walk {
  if (dev.kind === 'mdev') return { miss: 'no-context', fd: -1, ioasid: -1 };
  const ctx = ridContext(s, dev);
  const how = dev.group >= 0 ? 'group' : 'rid';
  if (pasid < 0) {
    if (ctx === null) return { miss: 'no-context', fd: -1, ioasid: -1 };
    const w = walkIoasid(state, s, ctx.fd, ctx.ioasid, iova);
    return hit(w) ? { ...w, hops: [{ via: 'ioasidAttach', device: dev.name, how, fd: ctx.fd, ioasid: ctx.ioasid }, ...w.hops] } : w;
  }
  if (!dev.pasidCapable) return { miss: 'no-context', fd: -1, ioasid: -1 };
  const tbl = ctx === null ? undefined : liveIoasid(s, ctx.fd, ctx.ioasid);
  if (ctx !== null && tbl?.kind === 'pasidtbl' && tbl.bound !== null) {
    const w = walkPasidTable(state, s, ctx.fd, ctx.ioasid, pasid, iova);
    return hit(w) ? { ...w, hops: [{ via: 'ioasidAttach', device: dev.name, how: 'pasid', fd: ctx.fd, ioasid: ctx.ioasid, pasid }, ...w.hops] } : w;
  }
  const att = dev.pasids.find((p) => p.vpasid === pasid);
  if (att === undefined) return { miss: 'no-context', fd: -1, ioasid: -1 };
  const w = walkIoasid(state, s, att.fd, att.ioasid, iova);
  return hit(w) ? { ...w, hops: [{ via: 'ioasidAttach', device: dev.name, how: 'pasid', fd: att.fd, ioasid: att.ioasid, pasid }, ...w.hops] } : w;
}

/** The PASIDs a device's requests may carry now: its attached vPASIDs, or every entry of a bound PASID table. */
export function requestPasids(s: IoasidState, dev: IoDevice): number[] {
  if (dev.kind === 'mdev' || !dev.pasidCapable) return [];
  const ctx = ridContext(s, dev);
  const tbl = ctx === null ? undefined : liveIoasid(s, ctx.fd, ctx.ioasid);
  if (tbl?.kind === 'pasidtbl' && tbl.bound !== null) return Array.from({ length: TABLE_ENTRIES }, (_, i) => i);
  return dev.pasids.map((p) => p.vpasid);
}

/** Whether fd `fd` is open and owned by `dom`. */
export function fdOwnedBy(s: IoasidState, fd: number, dom: number): boolean {
  return liveFd(s, fd)?.owner === dom;
}
