/**
 * IOASID_DMA_MAP and IOASID_DMA_UNMAP (seed 001 §5.1–5.3). On a root, `addr` is an HVA of the fd
 * owner's: each page is pinned and charged as the accounting rule says. On a software-nested child,
 * `addr` is a GPA: it is resolved through the parent (ENOENT if the parent lacks it) and merged into the
 * child's shadow, with no pin and — the seed: accounting "is only conducted for gpa_ioasid" — no charge.
 * Unmapping a root revokes what depends on the range before the pages are unpinned.
 */
import { defineOp, fail, OK } from '../../core/op.ts';
import type { OpContext, OpResult } from '../../core/op.ts';
import type { State } from '../../core/state.ts';
import { chargeOf, mayCharge } from '../accounting.ts';
import type { IoasidConfig } from '../knobs.ts';
import { ioasidConfig } from '../knobs.ts';
import { childMapsAny, composeShadow, pin, recharging, revokeRange, settleFd, syncChildrenAt, syncShadow, unpinRange } from '../kernel.ts';
import { childrenOf, IOVA_PAGES, ioasidInUse, liveFd, liveIoasid, memslotHva } from '../lookup.ts';
import type { ChildMap, Ioasid, IoasidFd, IoasidState, RootMap } from '../state.ts';
import { pickFd, pickIoasid } from './args.ts';

/** The IOVA pages `iova .. iova+pages-1`, or undefined when the range is not inside the IOASID. */
function pageRange(iova: number, pages: number): number[] | undefined {
  if (!Number.isInteger(iova) || !Number.isInteger(pages) || pages < 1 || iova < 0 || iova + pages > IOVA_PAGES) return undefined;
  return Array.from({ length: pages }, (_, k) => iova + k);
}

/** Whether root IOASID `id`'s `iova` is named by a child's mapping, an mdev pin or a DMA in flight (a generator's hint only). */
function reliedOn(s: IoasidState, fd: number, id: number, iova: number): boolean {
  const f = s.fds[fd]!;
  return (
    f.ioasids.some((a) => a !== null && a.parent === id && a.maps.some((e) => e !== null && e.via === 'gpa' && e.gpa === iova)) ||
    s.devices.some((d) => d.pins.some((p) => p.fd === fd && p.ioasid === id && p.iova === iova) || d.inflight.some((x) => x.iova === iova))
  );
}

/** The fd as it would be with IOASID `id`'s mappings replaced (to charge a change before making it). */
function withMaps(f: IoasidFd, id: number, maps: Ioasid['maps']): IoasidFd {
  return { ...f, ioasids: f.ioasids.map((a, i) => (i === id && a !== null ? { ...a, maps } : a)) };
}

/** Refuse with ENOMEM, before anything changes, when the new mappings would take the owner past RLIMIT_MEMLOCK. */
function chargeFor(s: IoasidState, fd: number, id: number, maps: Ioasid['maps'], cfg: IoasidConfig, ctx: OpContext): number | undefined {
  const f = s.fds[fd]!;
  const delta = chargeOf(withMaps(f, id, maps), fd, s.devices, cfg.accounting) - chargeOf(f, fd, s.devices, cfg.accounting);
  if (mayCharge(s, f.owner, delta)) return delta;
  ctx.note('memlock-limit-refused');
  return undefined;
}

/** Whether frame `mfn` (at `gen`) is already pinned by a root mapping of the fd. */
function rootMapped(f: IoasidFd, mfn: number, gen: number): boolean {
  return f.ioasids.some((a) => a !== null && a.maps.some((e) => e !== null && e.via === 'hva' && e.mfn === mfn && e.gen === gen));
}

/** Whether HVA page `hva` lies in a registered range of the fd. */
function registeredAt(f: IoasidFd, hva: number): boolean {
  return f.registered.some((r) => hva >= r.hva && hva < r.hva + r.frames.length);
}

function mapRoot(state: State, s: IoasidState, fd: number, id: number, iovas: number[], addr: number, cfg: IoasidConfig, ctx: OpContext): OpResult {
  const f = s.fds[fd]!;
  const a = f.ioasids[id]!;
  const p2m = state.domains[f.owner]?.p2m;
  if (p2m === undefined || state.domains[f.owner].state !== 'alive') return fail('ESRCH');
  const maps = a.maps.slice();
  const added: RootMap[] = [];
  for (let k = 0; k < iovas.length; k++) {
    const hva = addr + k;
    const e = Number.isInteger(hva) ? p2m[hva] : undefined;
    // An mmap of a device's BAR (peer-to-peer): mapped by its address, with no page to pin or charge.
    const bar = e?.type === 'mmio_direct' ? s.bars.find((b) => b.mfn === e.mfn) : undefined;
    if (e === null || e === undefined || (e.type !== 'ram_rw' && e.type !== 'ram_ro' && bar === undefined)) return fail('EFAULT');
    // Guest RAM: the GPA mapped from the HVA its memslot gives it (what a memslot change must carry along).
    const ram = bar === undefined && a.kind === 'gpa' && memslotHva(s, f.owner, iovas[k]) === hva;
    const m: RootMap = Object.freeze(bar !== undefined ? { via: 'hva', hva, mfn: e.mfn, gen: e.gen, bar: bar.device } : ram ? { via: 'hva', hva, mfn: e.mfn, gen: e.gen, guestRam: true } : { via: 'hva', hva, mfn: e.mfn, gen: e.gen });
    maps[iovas[k]] = m;
    added.push(m);
  }
  const delta = chargeFor(s, fd, id, maps, cfg, ctx);
  if (delta === undefined) return fail('ENOMEM');
  for (const m of added) {
    if (m.bar !== undefined) {
      ctx.note('dma-map-bar-p2p');
      continue;
    }
    if (rootMapped(f, m.mfn, m.gen)) ctx.note('double-mapped-hva');
    ctx.note(registeredAt(f, m.hva) ? 'dma-map-in-registered-range' : 'dma-map-outside-registered-range');
    pin(state, m.mfn);
  }
  if (childMapsAny(f, id, iovas)) ctx.note('parent-remap-under-child');
  a.maps = maps;
  f.lockedPages += delta;
  if (cfg.shadowUpdate === 'sync') syncChildrenAt(f, id, iovas, ctx);
  return OK;
}

function mapChild(s: IoasidState, fd: number, id: number, iovas: number[], addr: number, cfg: IoasidConfig, ctx: OpContext): OpResult {
  const f = s.fds[fd]!;
  const a = f.ioasids[id]!;
  if (a.kind === 'pasidtbl') return fail('EINVAL');
  // Hardware nesting: the guest's own stage-1 table maps GIOVAs; there is nothing for the kernel to merge.
  if (cfg.nesting === 'hardware' || a.bound !== null) return fail('EOPNOTSUPP');
  const maps = a.maps.slice();
  for (let k = 0; k < iovas.length; k++) {
    const gpa = addr + k;
    if (composeShadow(f, a.parent, gpa) === null) {
      ctx.note('child-map-through-missing-gpa-refused');
      return fail('ENOENT');
    }
    maps[iovas[k]] = Object.freeze({ via: 'gpa', gpa }) as ChildMap;
  }
  const delta = chargeFor(s, fd, id, maps, cfg, ctx);
  if (delta === undefined) return fail('ENOMEM');
  a.maps = maps;
  const shadow = a.shadow.slice();
  for (let k = 0; k < iovas.length; k++) shadow[iovas[k]] = composeShadow(f, a.parent, addr + k);
  a.shadow = shadow;
  f.lockedPages += delta;
  if (cfg.shadowUpdate === 'on-child-op') syncShadow(f, id);
  return OK;
}

/**
 * Whether IOASID `id` has a device to take its format from: something attached to it, or — for a root —
 * to a child nested on it (§5.3: the child's device is "still attached to gpa_ioasid").
 */
function attachedForMap(s: IoasidState, fd: number, id: number): boolean {
  return ioasidInUse(s, fd, id) || childrenOf(s.fds[fd]!, id).some((c) => ioasidInUse(s, fd, c));
}

/** IOASID_DMA_MAP. */
export const dmaMap = defineOp({
  name: 'dmaMap',
  actor: 'backend',
  weight: 5,
  doc: 'IOASID_DMA_MAP: map pages IOVA pages of IOASID ioasid from addr (an HVA on a root: pinned and charged; a GPA on a software-nested child: merged through the parent)',
  gen: {
    fd: { kind: 'pick' },
    child: { kind: 'bool' },
    ioasid: { kind: 'pick' },
    iova: { kind: 'pick' },
    addr: { kind: 'pick' },
    pages: { kind: 'int', max: () => 1 },
    anyAddr: { kind: 'bool' },
  },
  resolve(state, raw) {
    const s = state.ioasid;
    const fd = s === undefined ? undefined : pickFd(s, raw.fd);
    if (s === undefined || fd === undefined) return null;
    // A nested child half the time when there is one: the guest's vIOMMU maps are what nesting is for.
    const kids = s.fds[fd]!.ioasids.map((x, i) => (x !== null && x.parent >= 0 ? i : -1)).filter((i) => i >= 0);
    const id = raw.child && kids.length > 0 ? kids[raw.ioasid % kids.length] : pickIoasid(s, fd, raw.ioasid);
    const a = liveIoasid(s, fd, id);
    const free: number[] = [];
    a?.maps.forEach((e, i) => e === null && free.push(i));
    // Mostly an address that is there to map — a GPA the parent maps, an HVA the owner has — sometimes any.
    const there: number[] = [];
    if (a !== undefined && a.parent >= 0) s.fds[fd]!.ioasids[a.parent]?.maps.forEach((e, gpa) => e !== null && there.push(gpa));
    else state.domains[s.fds[fd]!.owner].p2m.forEach((e, hva) => e !== null && hva < 8 && there.push(hva));
    const addr = raw.anyAddr || there.length === 0 ? raw.addr % 8 : there[raw.addr % there.length];
    return { fd, ioasid: id, iova: free.length === 0 ? raw.iova % IOVA_PAGES : free[raw.iova % free.length], addr, pages: raw.pages + 1 };
  },
  enabled: () => true,
  apply(state, { fd, ioasid, iova, addr, pages }, ctx) {
    const s = state.ioasid;
    if (s === undefined || liveFd(s, fd) === undefined) return fail('ENOENT');
    const a = liveIoasid(s, fd, ioasid);
    if (a === undefined) return fail('ENOENT');
    const iovas = pageRange(iova, pages);
    if (iovas === undefined || !Number.isInteger(addr)) return fail('EINVAL');
    if (iovas.some((i) => a.maps[i] !== null)) return fail('EEXIST');
    const cfg = ioasidConfig(ctx.knobs);
    const attached = attachedForMap(s, fd, ioasid);
    if (!cfg.mapBeforeAttach && !attached) {
      ctx.note('map-before-attach-refused');
      return fail('EINVAL');
    }
    const r = a.parent < 0 ? mapRoot(state, s, fd, ioasid, iovas, addr, cfg, ctx) : mapChild(s, fd, ioasid, iovas, addr, cfg, ctx);
    if (r.ok) settleFd(state, s, fd, cfg);
    if (r.ok && !attached) ctx.note('dma-map-before-attach');
    return r;
  },
});

/** IOASID_DMA_UNMAP: on a root, revoke what depends on the range, then unpin and uncharge (unmapOrder). */
export const dmaUnmap = defineOp({
  name: 'dmaUnmap',
  actor: 'backend',
  weight: 5,
  doc: "IOASID_DMA_UNMAP: unmap pages IOVA pages of IOASID ioasid; on a root, children's shadows, mdev access pins and DMA in flight through the range are revoked before its pages are unpinned and uncharged",
  gen: { fd: { kind: 'pick' }, ioasid: { kind: 'pick' }, iova: { kind: 'pick' }, pages: { kind: 'int', max: () => 1 }, relied: { kind: 'bool' } },
  resolve(state, raw) {
    const s = state.ioasid;
    const fd = s === undefined ? undefined : pickFd(s, raw.fd);
    if (s === undefined || fd === undefined) return null;
    const id = pickIoasid(s, fd, raw.ioasid);
    const mapped: number[] = [];
    liveIoasid(s, fd, id)?.maps.forEach((e, i) => e !== null && mapped.push(i));
    // Often a page something relies on — a child's GPA, an mdev pin, a DMA in flight: the racy unmaps.
    const relied = mapped.filter((i) => reliedOn(s, fd, id, i));
    const from = raw.relied && relied.length > 0 ? relied : mapped;
    const iova = from.length === 0 ? 0 : from[raw.iova % from.length];
    return { fd, ioasid: id, iova, pages: Math.min(raw.pages + 1, IOVA_PAGES - iova) };
  },
  enabled: () => true,
  apply(state, { fd, ioasid, iova, pages }, ctx) {
    const s = state.ioasid;
    if (s === undefined || liveFd(s, fd) === undefined) return fail('ENOENT');
    const f = s.fds[fd]!;
    const a = liveIoasid(s, fd, ioasid);
    if (a === undefined) return fail('ENOENT');
    const iovas = pageRange(iova, pages)?.filter((i) => a.maps[i] !== null);
    if (iovas === undefined) return fail('EINVAL');
    if (iovas.length === 0) return fail('ENOENT');
    const cfg = ioasidConfig(ctx.knobs);
    settleFd(state, s, fd, cfg);
    if (a.parent >= 0) {
      recharging(s, fd, cfg, () => {
        a.maps = a.maps.map((e, i) => (iovas.includes(i) ? null : e));
        a.shadow = a.shadow.map((e, i) => (iovas.includes(i) ? null : e));
      });
      if (cfg.shadowUpdate === 'on-child-op') syncShadow(f, ioasid);
      return OK;
    }
    if (cfg.unmapOrder === 'revoke-then-unpin') {
      revokeRange(state, s, fd, ioasid, iovas, cfg, ctx);
      recharging(s, fd, cfg, () => unpinRange(state, s, fd, ioasid, iovas));
    } else {
      if (childMapsAny(f, ioasid, iovas)) ctx.note('parent-unmap-with-nested-child-live');
      recharging(s, fd, cfg, () => unpinRange(state, s, fd, ioasid, iovas));
      f.unsettled = true;
    }
    return OK;
  },
});
