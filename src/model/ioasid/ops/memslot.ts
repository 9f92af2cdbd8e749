/**
 * KVM memslot changes under live DMA mappings: the VMM deletes a guest RAM page's memslot, or moves it
 * to another HVA page (KVM_SET_USER_MEMORY_REGION), while IOASIDs map that GPA. The issue asks for it;
 * the seed leaves it to the VMM ("The GPA address space is managed through DMA mapping protocol"). With
 * memslotListener=sync the VMM keeps its IOASIDs in step as QEMU's VFIO memory listener does: the GPA's
 * guest-RAM mappings are unmapped (revoking children's shadows, mdev pins and DMA in flight first, then
 * unpinning) and, for a move onto a backed HVA page, mapped again from the new HVA.
 */
import { defineOp, fail, OK } from '../../core/op.ts';
import type { OpContext } from '../../core/op.ts';
import type { State } from '../../core/state.ts';
import type { IoasidConfig } from '../knobs.ts';
import { ioasidConfig } from '../knobs.ts';
import { pin, recharging, revokeRange, syncChildrenAt, unpinRange } from '../kernel.ts';
import { memslotHva } from '../lookup.ts';
import type { IoasidState, RootMap } from '../state.ts';
import { GUEST_RAM_PAGES } from '../world.ts';
import { isVmm } from './args.ts';

/** The root IOASIDs of `proc`'s fds that map GPA `gpa` as guest RAM, as (fd, IOASID). */
function ramMappingsOf(s: IoasidState, proc: number, gpa: number): { fd: number; id: number }[] {
  const out: { fd: number; id: number }[] = [];
  s.fds.forEach((f, fd) => {
    if (f === null || f.owner !== proc) return;
    f.ioasids.forEach((a, id) => {
      const e = a?.maps[gpa];
      if (a !== null && a.parent < 0 && e !== null && e !== undefined && e.via === 'hva' && e.guestRam === true) out.push({ fd, id });
    });
  });
  return out;
}

/** region_add: map GPA `gpa` of each IOASID from HVA `hva` again, where the page is there and the limit allows. */
function remap(state: State, s: IoasidState, proc: number, gpa: number, hva: number, where: { fd: number; id: number }[], cfg: IoasidConfig, ctx: OpContext): void {
  const e = state.domains[proc].p2m[hva];
  if (e === null || e === undefined || (e.type !== 'ram_rw' && e.type !== 'ram_ro')) return;
  for (const { fd, id } of where) {
    const f = s.fds[fd]!;
    const a = f.ioasids[id]!;
    const m: RootMap = Object.freeze({ via: 'hva', hva, mfn: e.mfn, gen: e.gen, guestRam: true });
    recharging(s, fd, cfg, () => {
      a.maps = a.maps.map((x, i) => (i === gpa ? m : x));
    });
    // Past RLIMIT_MEMLOCK the listener's map fails and the GPA stays unmapped (the device faults on it).
    if (!withinLimit(s, f.owner)) {
      recharging(s, fd, cfg, () => {
        a.maps = a.maps.map((x, i) => (i === gpa ? null : x));
      });
      ctx.note('memlock-limit-refused');
      continue;
    }
    pin(state, e.mfn);
    ctx.note('memslot-listener-remapped');
    if (cfg.shadowUpdate === 'sync') syncChildrenAt(f, id, [gpa], ctx);
  }
}

/** Whether `owner`'s fds together are charged no more than its RLIMIT_MEMLOCK. */
function withinLimit(s: IoasidState, owner: number): boolean {
  let total = 0;
  for (const f of s.fds) if (f !== null && f.owner === owner) total += f.lockedPages;
  return total <= (s.memlock[owner] ?? 0);
}

/** KVM_SET_USER_MEMORY_REGION for one guest RAM page: its memslot moved to HVA page hva, or deleted (hva -1). */
export const kvmSetMemslot = defineOp({
  name: 'kvmSetMemslot',
  actor: 'backend',
  weight: 1,
  doc: "the VMM of proc moves GPA page gpa's memslot to HVA page hva (-1: deletes it); with memslotListener=sync its IOASIDs' guest-RAM mappings of the GPA follow",
  gen: { proc: { kind: 'dom' }, gpa: { kind: 'int', max: () => 3 }, hva: { kind: 'int', max: () => 8 } },
  resolve: (state, raw) => (state.ioasid !== undefined && isVmm(state, raw.proc) ? { proc: raw.proc, gpa: raw.gpa, hva: raw.hva - 1 } : null),
  enabled: () => true,
  apply(state, { proc, gpa, hva }, ctx) {
    const s = state.ioasid;
    if (s === undefined) return fail('EOPNOTSUPP');
    if (!isVmm(state, proc) || s.memslots[proc] === undefined) return fail('ESRCH');
    if (!Number.isInteger(gpa) || gpa < 0 || gpa >= GUEST_RAM_PAGES) return fail('EINVAL');
    if (!Number.isInteger(hva) || hva < -1 || hva >= state.domains[proc].p2m.length) return fail('EINVAL');
    const old = memslotHva(s, proc, gpa);
    const next = hva < 0 ? undefined : hva;
    if (old === next) return fail('EEXIST');
    const cfg = ioasidConfig(ctx.knobs);
    const where = ramMappingsOf(s, proc, gpa);
    if (where.length > 0) ctx.note(next === undefined ? 'memslot-deleted-under-dma-mapping' : 'memslot-moved-under-dma-mapping');
    if (cfg.memslotListener === 'sync') {
      // region_del: what depends on the GPA is revoked before its pages are unpinned.
      for (const { fd, id } of where) {
        revokeRange(state, s, fd, id, [gpa], cfg, ctx);
        recharging(s, fd, cfg, () => unpinRange(state, s, fd, id, [gpa]));
      }
    }
    const slots = s.memslots[proc].slice();
    slots[gpa] = next ?? null;
    s.memslots = { ...s.memslots, [proc]: slots };
    if (cfg.memslotListener === 'sync' && next !== undefined) remap(state, s, proc, gpa, next, where, cfg, ctx);
    return OK;
  },
});
