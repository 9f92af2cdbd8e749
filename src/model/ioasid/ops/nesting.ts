/**
 * Hardware nesting and guest-owned tables (seed 001 §5.4, §5.7): the VMM binds the guest's stage-1 I/O
 * page table (IOASID_BIND_PGTABLE) or its PASID table (IOASID_BIND_PASID_TABLE) — both GPAs in the
 * guest's memory — and the guest writes their entries; the vIOMMU's cache invalidation is how the
 * kernel hears of a change (IOASID cache invalidate).
 */
import { defineOp, fail, OK } from '../../core/op.ts';
import { ioasidConfig } from '../knobs.ts';
import { settleFd, syncShadow } from '../kernel.ts';
import { liveFd, liveIoasid, memslotHva, TABLE_ENTRIES } from '../lookup.ts';
import type { Ioasid } from '../state.ts';
import { isVmm, pickFd, pickIoasid, resolveFdIoasid } from './args.ts';

/** IOASID_BIND_PGTABLE: bind the guest's stage-1 table at `gpa` to a hardware-nested giova or gva IOASID. */
export const bindPgtable = defineOp({
  name: 'bindPgtable',
  actor: 'backend',
  weight: 1,
  doc: "IOASID_BIND_PGTABLE: bind the guest's stage-1 I/O page table at gpa to nested IOASID ioasid (hardware nesting)",
  gen: { fd: { kind: 'pick' }, ioasid: { kind: 'pick' }, gpa: { kind: 'int', max: () => 3 } },
  resolve(state, raw) {
    const s = state.ioasid;
    const fd = s === undefined ? undefined : pickFd(s, raw.fd);
    return s === undefined || fd === undefined ? null : { fd, ioasid: pickIoasid(s, fd, raw.ioasid), gpa: raw.gpa };
  },
  enabled: () => true,
  apply(state, { fd, ioasid, gpa }, ctx) {
    const s = state.ioasid;
    const a = s === undefined ? undefined : liveIoasid(s, fd, ioasid);
    if (s === undefined || a === undefined) return fail('ENOENT');
    const cfg = ioasidConfig(ctx.knobs);
    if (cfg.nesting !== 'hardware') return fail('EOPNOTSUPP');
    if (a.parent < 0 || (a.kind !== 'giova' && a.kind !== 'gva') || !Number.isInteger(gpa) || gpa < 0) return fail('EINVAL');
    if (a.bound !== null || a.maps.some((e) => e !== null)) return fail('EBUSY');
    a.bound = Object.freeze({ gpa });
    settleFd(state, s, fd, cfg);
    return OK;
  },
});

/**
 * IOASID_BIND_PASID_TABLE: bind the guest's PASID table at `gpa` to a pasidtbl IOASID ("PASID table is
 * put in the GPA space"); only where the platform leaves the table to the guest (pasidTable=user-bound).
 */
export const bindPasidTable = defineOp({
  name: 'bindPasidTable',
  actor: 'backend',
  weight: 2,
  // The guest keeps its PASID table in its first pages (GPA 0 or 1), so the generator draws those.
  doc: "IOASID_BIND_PASID_TABLE: bind the guest's PASID table at gpa (in GPA space) to pasidtbl IOASID ioasid",
  gen: { fd: { kind: 'pick' }, ioasid: { kind: 'pick' }, gpa: { kind: 'int', max: () => 1 } },
  resolve(state, raw) {
    const s = state.ioasid;
    const fd = s === undefined ? undefined : pickFd(s, raw.fd);
    if (s === undefined || fd === undefined) return null;
    // The PASID-table IOASIDs of the fd first: binding anything else is refused.
    const tables = liveFd(s, fd)!.ioasids.map((a, i) => (a?.kind === 'pasidtbl' ? i : -1)).filter((i) => i >= 0);
    return { fd, ioasid: tables.length > 0 ? tables[raw.ioasid % tables.length] : pickIoasid(s, fd, raw.ioasid), gpa: raw.gpa };
  },
  enabled: () => true,
  apply(state, { fd, ioasid, gpa }, ctx) {
    const s = state.ioasid;
    const a = s === undefined ? undefined : liveIoasid(s, fd, ioasid);
    if (s === undefined || a === undefined) return fail('ENOENT');
    const cfg = ioasidConfig(ctx.knobs);
    // The kernel keeps the PASID table (pasidTable=kernel): there is no guest table to bind.
    if (cfg.pasidTable === 'kernel') return fail('EOPNOTSUPP');
    if (a.kind !== 'pasidtbl' || !Number.isInteger(gpa) || gpa < 0 || gpa >= state.frames.length) return fail('EINVAL');
    if (a.bound !== null) return fail('EBUSY');
    a.bound = Object.freeze(cfg.pasidTableAddr === 'gpa' ? { gpa } : { hpa: gpa });
    settleFd(state, s, fd, cfg);
    return OK;
  },
});

/** The vIOMMU's invalidation relayed by the VMM: the kernel re-merges a software-nested child's shadow. */
export const cacheInvalidate = defineOp({
  name: 'cacheInvalidate',
  actor: 'backend',
  weight: 1,
  doc: "IOASID cache invalidate on IOASID ioasid: the kernel re-merges a software-nested child's shadow from both levels",
  gen: { fd: { kind: 'pick' }, ioasid: { kind: 'pick' } },
  resolve: resolveFdIoasid,
  enabled: () => true,
  apply(state, { fd, ioasid }, ctx) {
    const s = state.ioasid;
    const f = s === undefined ? undefined : liveFd(s, fd);
    const a = s === undefined ? undefined : liveIoasid(s, fd, ioasid);
    if (s === undefined || f === undefined || a === undefined) return fail('ENOENT');
    if (a.parent < 0) return fail('EINVAL');
    const cfg = ioasidConfig(ctx.knobs);
    ctx.note('cache-invalidate');
    if (a.bound === null && cfg.shadowUpdate !== 'snapshot') syncShadow(f, ioasid);
    settleFd(state, s, fd, cfg);
    return OK;
  },
});

/** Whether frame `mfn` is the page of a bound table of one of `proc`'s IOASIDs. */
function isBoundTable(state: Parameters<typeof guestWriteIoPte.apply>[0], proc: number, mfn: number): boolean {
  const s = state.ioasid!;
  return s.fds.some(
    (f) =>
      f !== null &&
      f.owner === proc &&
      f.ioasids.some((a: Ioasid | null) => {
        if (a === null || a.bound === null) return false;
        if ('hpa' in a.bound) return a.bound.hpa === mfn;
        const e = f.ioasids[a.parent]?.maps[a.bound.gpa];
        return e !== null && e !== undefined && e.via === 'hva' && e.mfn === mfn;
      }),
  );
}

/** The guest writes an entry of a stage-1 or PASID table in its own memory (GPA gpa = HVA page gpa of its VMM). */
export const guestWriteIoPte = defineOp({
  name: 'guestWriteIoPte',
  actor: 'guest',
  weight: 2,
  doc: "the guest of VMM process proc writes entry index of the table page at its gpa: value is a GPA, or -1 for not present",
  gen: { proc: { kind: 'dom' }, gpa: { kind: 'int', max: () => 3 }, index: { kind: 'int', max: () => TABLE_ENTRIES - 1 }, value: { kind: 'int', max: () => 8 } },
  resolve: (state, raw) => (state.ioasid !== undefined && isVmm(state, raw.proc) ? { proc: raw.proc, gpa: raw.gpa, index: raw.index, value: raw.value - 1 } : null),
  enabled: () => true,
  apply(state, { proc, gpa, index, value }, ctx) {
    const s = state.ioasid;
    if (s === undefined) return fail('EOPNOTSUPP');
    if (!isVmm(state, proc)) return fail('ESRCH');
    if (!Number.isInteger(index) || index < 0 || index >= TABLE_ENTRIES || !Number.isInteger(value) || value < -1) return fail('EINVAL');
    // The vCPU writes GPA gpa where its memslot puts it.
    const hva = memslotHva(s, proc, gpa);
    const e = hva === undefined ? undefined : state.domains[proc].p2m[hva];
    if (e === null || e === undefined || e.type !== 'ram_rw') return fail('EFAULT');
    const old = s.pages[e.mfn];
    const entries = old !== undefined && old.gen === e.gen ? old.entries.slice() : new Array<number>(TABLE_ENTRIES).fill(-1);
    entries[index] = value;
    if (isBoundTable(state, proc, e.mfn)) ctx.note('guest-wrote-bound-table');
    s.pages = { ...s.pages, [e.mfn]: Object.freeze({ gen: e.gen, entries: Object.freeze(entries) }) };
    return OK;
  },
});
