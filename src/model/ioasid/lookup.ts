/**
 * Queries over the IOASID slice's stored state that ops, the reach/refs sources and invariants share:
 * live fds and IOASIDs, devices, nesting. They read what the kernel stores, never the derived relations.
 */
import type { State } from '../core/state.ts';
import type { Ioasid, IoasidFd, IoasidState, IoDevice } from './state.ts';

/** The slice, or undefined in worlds without it. */
export function ioasidOf(state: State): IoasidState | undefined {
  return state.ioasid;
}

/** The open fd with this id, or undefined. */
export function liveFd(s: IoasidState, fd: number): IoasidFd | undefined {
  return Number.isInteger(fd) ? (s.fds[fd] ?? undefined) : undefined;
}

/** The live IOASID `id` of fd `fd`, or undefined. */
export function liveIoasid(s: IoasidState, fd: number, id: number): Ioasid | undefined {
  const f = liveFd(s, fd);
  return f === undefined || !Number.isInteger(id) ? undefined : (f.ioasids[id] ?? undefined);
}

/** The device with this name, or undefined. */
export function findDevice(s: IoasidState, name: string): IoDevice | undefined {
  return s.devices.find((d) => d.name === name);
}

/** Ids of open fds, in order. */
export function openFds(s: IoasidState): number[] {
  const out: number[] = [];
  s.fds.forEach((f, i) => f !== null && out.push(i));
  return out;
}

/** Ids of the live IOASIDs of an fd, in order. */
export function liveIoasids(s: IoasidState, fd: number): number[] {
  const out: number[] = [];
  liveFd(s, fd)?.ioasids.forEach((a, i) => a !== null && out.push(i));
  return out;
}

/** Ids of the live IOASIDs of an fd nested on `parent`. */
export function childrenOf(f: IoasidFd, parent: number): number[] {
  const out: number[] = [];
  f.ioasids.forEach((a, i) => a !== null && a.parent === parent && out.push(i));
  return out;
}

/** The members of a device's IOMMU group (itself alone when it has none). */
export function groupMembers(s: IoasidState, dev: IoDevice): IoDevice[] {
  if (dev.group < 0) return [dev];
  return s.groups[dev.group].devices.map((n) => findDevice(s, n)!);
}

/** Whether two (fd, IOASID) attachments name the same IOASID. */
export function sameCtx(a: { fd: number; ioasid: number } | null, b: { fd: number; ioasid: number } | null): boolean {
  return a !== null && b !== null && a.fd === b.fd && a.ioasid === b.ioasid;
}

/** Whether a device's group is whole: every member owned by its owner and RID-attached to the same IOASID. */
export function groupWhole(s: IoasidState, dev: IoDevice): boolean {
  const members = groupMembers(s, dev);
  return members.every((m) => m.owner === dev.owner && sameCtx(m.rid, dev.rid));
}

/** The context a device's requests without PASID walk: its group's shared one, or its own attachment. */
export function ridContext(s: IoasidState, dev: IoDevice): { fd: number; ioasid: number } | null {
  return dev.group >= 0 ? s.groups[dev.group].ctx : dev.rid;
}

/** Whether anything is attached to IOASID `id` of fd `fd` (a device's RID or PASID, a group context, KVM). */
export function ioasidInUse(s: IoasidState, fd: number, id: number): boolean {
  const here = (x: { fd: number; ioasid: number } | null) => x !== null && x.fd === fd && x.ioasid === id;
  return (
    s.devices.some((d) => here(d.rid) || d.pasids.some(here) || d.pins.some((p) => p.ioasid === id && d.boundFd === fd)) ||
    s.groups.some((g) => here(g.ctx)) ||
    Object.values(s.kvmPasid).some((list) => list.some(here))
  );
}

/**
 * Whether frame `mfn` is the BAR page of a device process `owner` owns and holds bound to one of its
 * fds: the MMIO it may mmap and DMA-map for peer-to-peer (no-foreign-reach's and dma-only-own-memory's
 * allowance for it).
 */
export function ownBar(state: State, owner: number, mfn: number): boolean {
  const s = state.ioasid;
  if (s === undefined) return false;
  return s.bars.some((b) => {
    const d = b.mfn === mfn ? findDevice(s, b.device) : undefined;
    return d !== undefined && d.owner === owner && liveFd(s, d.boundFd)?.owner === owner;
  });
}

/** The HVA page backing GPA page `gpa` of VM process `proc` (its KVM memslot), or undefined. */
export function memslotHva(s: IoasidState, proc: number, gpa: number): number | undefined {
  return s.memslots[proc]?.[gpa] ?? undefined;
}

/** Number of IOVA pages every IOASID has. */
export const IOVA_PAGES = 8;
/** IOASIDs per fd: the booted world uses three of P1's (gpa, giova, gva), so room for three more. */
export const IOASIDS_PER_FD = 6;
/** Host PASIDs the platform has. */
export const HOST_PASIDS = 4;
/** User fault records one fd's ring holds. */
export const RING_SIZE = 4;
/** Entries of a guest I/O page table or PASID table page. */
export const TABLE_ENTRIES = 8;
/** DMAs one device may have in flight. */
export const MAX_INFLIGHT = 2;
