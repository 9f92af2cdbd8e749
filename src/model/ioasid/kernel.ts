/**
 * What the /dev/ioasid kernel side does on behalf of several ioctls: keep software-nested shadows in
 * step with their parent, revoke what depends on a range before it is unpinned, unpin and re-charge,
 * detach, drain faults, close an fd. Ops call these only after every check has passed, so a refusal
 * changes nothing.
 */
import { getRef, putRef } from '../core/frames.ts';
import type { OpContext } from '../core/op.ts';
import type { State } from '../core/state.ts';
import { chargeOf } from './accounting.ts';
import type { IoasidConfig } from './knobs.ts';
import { childrenOf, groupMembers, groupWhole, liveFd } from './lookup.ts';
import type { IoasidFd, IoasidState, IoDevice, PendingFault, ShadowEntry } from './state.ts';
import { hit, walkRequest } from './translate.ts';

/** What fd `fd` charges now under the rule. */
export function chargeNow(s: IoasidState, fd: number, cfg: IoasidConfig): number {
  const f = liveFd(s, fd);
  return f === undefined ? 0 : chargeOf(f, fd, s.devices, cfg.accounting);
}

/** Run `change`, then charge (or credit) fd `fd`'s owner the difference it made under the rule. */
export function recharging(s: IoasidState, fd: number, cfg: IoasidConfig, change: () => void): void {
  const before = chargeNow(s, fd, cfg);
  change();
  const f = liveFd(s, fd);
  if (f !== undefined) f.lockedPages += chargeNow(s, fd, cfg) - before;
}

/** The shadow entry the kernel computes for a child's GPA: the parent's mapping of it, now. */
export function composeShadow(f: IoasidFd, parent: number, gpa: number): ShadowEntry | null {
  const e = f.ioasids[parent]?.maps[gpa];
  return e !== null && e !== undefined && e.via === 'hva' ? Object.freeze({ gpa, mfn: e.mfn, gen: e.gen }) : null;
}

/** Recompute a software-nested child's whole shadow from its mappings and its parent's, now. */
export function syncShadow(f: IoasidFd, child: number): void {
  const c = f.ioasids[child];
  if (c === null || c.parent < 0) return;
  c.shadow = c.maps.map((e) => (e !== null && e.via === 'gpa' ? composeShadow(f, c.parent, e.gpa) : null));
}

/** After a change to the parent's GPAs `gpas`: re-merge every child's shadow entries naming them (shadowUpdate=sync). */
export function syncChildrenAt(f: IoasidFd, parent: number, gpas: readonly number[], ctx: OpContext): void {
  for (const child of childrenOf(f, parent)) {
    const c = f.ioasids[child]!;
    let touched = false;
    const shadow = c.shadow.slice();
    c.maps.forEach((e, iova) => {
      if (e === null || e.via !== 'gpa' || !gpas.includes(e.gpa)) return;
      shadow[iova] = composeShadow(f, parent, e.gpa);
      touched = true;
    });
    if (touched) c.shadow = shadow;
  }
}

/** Whether any live child of `parent` maps one of `gpas` (the parent is changing under a child). */
export function childMapsAny(f: IoasidFd, parent: number, gpas: readonly number[]): boolean {
  return childrenOf(f, parent).some((c) => f.ioasids[c]!.maps.some((e) => e !== null && e.via === 'gpa' && gpas.includes(e.gpa)));
}

/** Whether a device's current walk of an in-flight DMA goes through root IOASID `ioasid` at one of `iovas`. */
function inflightThrough(state: State, s: IoasidState, dev: IoDevice, slot: number, fd: number, ioasid: number, iovas: readonly number[]): boolean {
  const x = dev.inflight[slot];
  const w = walkRequest(state, s, dev, x.pasid, x.iova);
  if (!hit(w)) return false;
  return w.hops.some((h) => h.via === 'ioasidMap' && h.fd === fd && h.ioasid === ioasid && iovas.includes(h.iova));
}

/** Drop an mdev's access pins matching `drop`, putting each page. */
export function dropPins(state: State, dev: IoDevice, drop: (p: IoDevice['pins'][number]) => boolean): void {
  const keep = dev.pins.filter((p) => !drop(p));
  if (keep.length === dev.pins.length) return;
  for (const p of dev.pins) if (drop(p)) putRef(state, p.mfn);
  dev.pins = keep;
}

/**
 * Revoke everything that depends on root IOASID `ioasid`'s `iovas` before they are unpinned: children's
 * shadow entries (when the design keeps them in sync), mdev access pins (through the access's unmap
 * callback, when the design runs it) and DMA in flight through the range (the unmap waits for it).
 */
export function revokeRange(state: State, s: IoasidState, fd: number, ioasid: number, iovas: readonly number[], cfg: IoasidConfig, ctx: OpContext): void {
  const f = s.fds[fd]!;
  if (childMapsAny(f, ioasid, iovas)) ctx.note('parent-unmap-with-nested-child-live');
  if (cfg.shadowUpdate === 'sync') {
    for (const child of childrenOf(f, ioasid)) {
      const c = f.ioasids[child]!;
      if (c.shadow.some((e) => e !== null && iovas.includes(e.gpa))) c.shadow = c.shadow.map((e) => (e !== null && iovas.includes(e.gpa) ? null : e));
    }
  }
  for (const dev of s.devices) {
    const hits = dev.pins.filter((p) => p.fd === fd && p.ioasid === ioasid && iovas.includes(p.iova));
    if (hits.length > 0) {
      ctx.note('unmap-with-access-pins');
      if (cfg.accessUnmapCallback === 'required') {
        ctx.note('access-unmap-callback-run');
        dropPins(state, dev, (p) => hits.includes(p));
      }
    }
    const slots = dev.inflight.map((_, i) => i).filter((i) => inflightThrough(state, s, dev, i, fd, ioasid, iovas));
    if (slots.length > 0) {
      ctx.note('unmap-with-dma-in-flight');
      dev.inflight = dev.inflight.filter((_, i) => !slots.includes(i));
    }
  }
}

/** Clear root IOASID `ioasid`'s mappings at `iovas` and put each pinned page. */
export function unpinRange(state: State, s: IoasidState, fd: number, ioasid: number, iovas: readonly number[]): void {
  const a = s.fds[fd]!.ioasids[ioasid]!;
  const maps = a.maps.slice();
  for (const iova of iovas) {
    const e = maps[iova];
    if (e === null || e === undefined) continue;
    if (e.via === 'hva' && e.bar === undefined) putRef(state, e.mfn);
    maps[iova] = null;
  }
  a.maps = maps;
}

/**
 * unmapOrder=unpin-then-revoke: the revocation that an unmap left for later, run at the fd's next
 * successful op: shadows re-merged, pins and DMA in flight whose mapping is gone dropped.
 */
export function settleFd(state: State, s: IoasidState, fd: number, cfg: IoasidConfig): void {
  const f = liveFd(s, fd);
  if (f === undefined || !f.unsettled) return;
  f.unsettled = false;
  if (cfg.shadowUpdate === 'sync') f.ioasids.forEach((a, i) => a !== null && a.parent >= 0 && a.bound === null && syncShadow(f, i));
  if (cfg.accessUnmapCallback !== 'required') return;
  recharging(s, fd, cfg, () => {
    for (const dev of s.devices) {
      dropPins(state, dev, (p) => {
        if (p.fd !== fd) return false;
        const e = f.ioasids[p.ioasid]?.maps[p.iova];
        return e === null || e === undefined || e.via !== 'hva' || e.mfn !== p.mfn || e.gen !== p.gen;
      });
    }
  });
}

/** Take a reference for a pin. */
export function pin(state: State, mfn: number): void {
  getRef(state, mfn);
}

/** Remove pending faults matching `drop` (with their ring records); true when any was pending. */
export function drainFaults(s: IoasidState, drop: (p: PendingFault) => boolean): boolean {
  const gone = s.pendingFaults.filter(drop);
  if (gone.length === 0) return false;
  s.pendingFaults = s.pendingFaults.filter((p) => !drop(p));
  for (const g of gone) {
    const f = liveFd(s, g.fd);
    if (f === undefined) continue;
    const i = f.ring.findIndex((r) => r.iova === g.iova && (r.key === g.label || r.key === g.ioasid));
    if (i >= 0) f.ring = f.ring.filter((_, j) => j !== i);
  }
  return true;
}

/** The group's shared context after a member's attachment changed, as the group policy keeps it. */
export function retargetGroup(s: IoasidState, dev: IoDevice, cfg: IoasidConfig): void {
  if (dev.group < 0) return;
  const g = s.groups[dev.group];
  if (cfg.groupPolicy === 'per-device') {
    g.ctx = dev.rid ?? groupMembers(s, dev).find((m) => m.rid !== null)?.rid ?? null;
  } else {
    g.ctx = dev.rid !== null && groupWhole(s, dev) ? dev.rid : null;
  }
}

/** Detach a device's RID: its DMA in flight is waited for, an mdev's access pins are dropped. */
export function detachRid(state: State, s: IoasidState, dev: IoDevice, cfg: IoasidConfig, ctx: OpContext): void {
  if (dev.rid === null) return;
  if (dev.inflight.some((x) => x.pasid < 0)) ctx.note('detach-with-dma-in-flight');
  dev.inflight = dev.inflight.filter((x) => x.pasid >= 0);
  const fd = dev.rid.fd;
  recharging(s, fd, cfg, () => dropPins(state, dev, () => true));
  dev.rid = null;
  retargetGroup(s, dev, cfg);
}

/** Detach one vPASID: its host PASID is freed, its DMA in flight waited for, its pending faults drained (drainOnFree). */
export function detachPasid(s: IoasidState, dev: IoDevice, vpasid: number, cfg: IoasidConfig, ctx: OpContext): void {
  const att = dev.pasids.find((p) => p.vpasid === vpasid);
  if (att === undefined) return;
  if (dev.inflight.some((x) => x.pasid === vpasid)) ctx.note('detach-with-dma-in-flight');
  dev.inflight = dev.inflight.filter((x) => x.pasid !== vpasid);
  dev.pasids = dev.pasids.filter((p) => p !== att);
  s.hostPasids[att.host] = null;
  if (cfg.drainOnFree) {
    if (drainFaults(s, (p) => p.device === dev.name && p.pasid === att.host)) ctx.note('ioasid-freed-with-faults-pending');
  } else if (s.pendingFaults.some((p) => p.device === dev.name && p.pasid === att.host)) {
    ctx.note('ioasid-freed-with-faults-pending');
  }
}

/**
 * A device's BAR mapping goes (its device fd is released — VFIO zaps the BAR's mmaps): the owner's HVA
 * pages mapping it are unmapped, and every IOASID mapping of it, in any fd, is revoked and dropped, so
 * no DMA reaches the BAR once the device may be given to another process.
 */
export function zapBar(state: State, s: IoasidState, dev: IoDevice, cfg: IoasidConfig, ctx: OpContext): void {
  const bar = s.bars.find((b) => b.device === dev.name);
  if (bar === undefined) return;
  const p2m = state.domains[dev.owner]?.p2m;
  p2m?.forEach((e, hva) => {
    if (e !== null && e.type === 'mmio_direct' && e.mfn === bar.mfn) p2m[hva] = null;
  });
  s.fds.forEach((f, fd) => {
    f?.ioasids.forEach((a, id) => {
      const iovas: number[] = [];
      a?.maps.forEach((e, iova) => e !== null && e.via === 'hva' && e.bar === dev.name && iovas.push(iova));
      if (iovas.length === 0) return;
      ctx.note('bar-zapped-with-dma-mappings');
      revokeRange(state, s, fd, id, iovas, cfg, ctx);
      unpinRange(state, s, fd, id, iovas);
    });
  });
}

/** Close fd `fd`: detach, unbind, revoke KVM's PASIDs into it, unmap, unpin, unaccount, drain its faults. */
export function closeFd(state: State, s: IoasidState, fd: number, cfg: IoasidConfig, ctx: OpContext): void {
  const f = s.fds[fd]!;
  if (f.ioasids.some((a) => a !== null && a.maps.some((e) => e !== null))) ctx.note('fd-closed-with-mappings');
  const released: IoDevice[] = [];
  for (const dev of s.devices) {
    for (const p of dev.pasids.filter((x) => x.fd === fd)) detachPasid(s, dev, p.vpasid, cfg, ctx);
    if (dev.rid?.fd === fd) detachRid(state, s, dev, cfg, ctx);
    if (dev.boundFd === fd) {
      dev.boundFd = -1;
      dev.label = -1;
      released.push(dev);
    }
  }
  for (const dev of released) zapBar(state, s, dev, cfg, ctx);
  for (const g of s.groups) if (g.ctx?.fd === fd) g.ctx = null;
  for (const [dom, list] of Object.entries(s.kvmPasid)) {
    if (list.some((k) => k.fd === fd)) s.kvmPasid[Number(dom)] = list.filter((k) => k.fd !== fd);
  }
  s.hostPasids = s.hostPasids.map((h) => (h !== null && h.fd === fd ? null : h));
  f.ioasids.forEach((a, i) => {
    if (a === null) return;
    unpinRange(state, s, fd, i, a.maps.map((_, iova) => iova));
  });
  for (const r of f.registered) for (const x of r.frames) putRef(state, x.mfn);
  if (s.pendingFaults.some((p) => p.fd === fd)) {
    ctx.note('ioasid-freed-with-faults-pending');
    if (cfg.drainOnFree) drainFaults(s, (p) => p.fd === fd);
  }
  s.fds[fd] = null;
}
