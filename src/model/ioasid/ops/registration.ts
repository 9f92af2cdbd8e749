/**
 * Pre-registration for locked-page accounting (seed 001 §5.2: "To avoid duplicated locked page
 * accounting, it's recommended to pre-register the virtual address range that will be used for DMA")
 * and the user's RLIMIT_MEMLOCK, which the toolstack sets (rarely).
 */
import { defineOp, fail, OK } from '../../core/op.ts';
import { chargeOf, mayCharge } from '../accounting.ts';
import { ioasidConfig } from '../knobs.ts';
import { pin, recharging, settleFd } from '../kernel.ts';
import { liveFd } from '../lookup.ts';
import { putRef } from '../../core/frames.ts';
import type { Registration } from '../state.ts';
import { isVmm, pickFd } from './args.ts';

/** IOASID_REGISTER_MEMORY: pin and charge an HVA range once (ENOMEM over the limit, EEXIST if it overlaps a registration). */
export const registerMemory = defineOp({
  name: 'registerMemory',
  actor: 'backend',
  weight: 1,
  doc: "IOASID_REGISTER_MEMORY: pin pages HVA pages of the fd owner's from hva and charge each once",
  gen: { fd: { kind: 'pick' }, hva: { kind: 'int', max: () => 7 }, pages: { kind: 'int', max: () => 1 } },
  resolve(state, raw) {
    const fd = state.ioasid === undefined ? undefined : pickFd(state.ioasid, raw.fd);
    return fd === undefined ? null : { fd, hva: raw.hva, pages: raw.pages + 1 };
  },
  enabled: () => true,
  apply(state, { fd, hva, pages }, ctx) {
    const s = state.ioasid;
    const f = s === undefined ? undefined : liveFd(s, fd);
    if (s === undefined || f === undefined) return fail('ENOENT');
    if (!Number.isInteger(hva) || !Number.isInteger(pages) || pages < 1 || pages > 2 || hva < 0) return fail('EINVAL');
    if (f.registered.some((r) => hva < r.hva + r.frames.length && r.hva < hva + pages)) return fail('EEXIST');
    const p2m = state.domains[f.owner].p2m;
    const frames: { mfn: number; gen: number }[] = [];
    for (let k = 0; k < pages; k++) {
      const e = p2m[hva + k];
      if (e === null || e === undefined || (e.type !== 'ram_rw' && e.type !== 'ram_ro')) return fail('EFAULT');
      frames.push(Object.freeze({ mfn: e.mfn, gen: e.gen }));
    }
    const cfg = ioasidConfig(ctx.knobs);
    const reg: Registration = Object.freeze({ hva, frames: Object.freeze(frames) });
    const candidate = { ...f, registered: [...f.registered, reg] };
    const delta = chargeOf(candidate, fd, s.devices, cfg.accounting) - chargeOf(f, fd, s.devices, cfg.accounting);
    if (!mayCharge(s, f.owner, delta)) {
      ctx.note('memlock-limit-refused');
      return fail('ENOMEM');
    }
    for (const x of frames) pin(state, x.mfn);
    f.registered = candidate.registered;
    f.lockedPages += delta;
    settleFd(state, s, fd, cfg);
    return OK;
  },
});

/** IOASID_UNREGISTER_MEMORY: EBUSY while a root mapping relies on the range. */
export const unregisterMemory = defineOp({
  name: 'unregisterMemory',
  actor: 'backend',
  weight: 1,
  doc: 'unregister registration slot of fd fd: unpin and uncharge it (EBUSY while a root mapping of the fd maps an HVA in it)',
  gen: { fd: { kind: 'pick' }, slot: { kind: 'pick' } },
  resolve(state, raw) {
    const s = state.ioasid;
    const fd = s === undefined ? undefined : pickFd(s, raw.fd);
    const f = fd === undefined ? undefined : liveFd(s!, fd);
    if (f === undefined || f.registered.length === 0) return null;
    return { fd: fd!, slot: raw.slot % f.registered.length };
  },
  enabled: () => true,
  apply(state, { fd, slot }, ctx) {
    const s = state.ioasid;
    const f = s === undefined ? undefined : liveFd(s, fd);
    const r = f?.registered[slot];
    if (s === undefined || f === undefined || r === undefined) return fail('ENOENT');
    const inRange = (hva: number) => hva >= r.hva && hva < r.hva + r.frames.length;
    if (f.ioasids.some((a) => a !== null && a.maps.some((e) => e !== null && e.via === 'hva' && inRange(e.hva)))) return fail('EBUSY');
    const cfg = ioasidConfig(ctx.knobs);
    recharging(s, fd, cfg, () => {
      f.registered = f.registered.filter((x) => x !== r);
      for (const x of r.frames) putRef(state, x.mfn);
    });
    settleFd(state, s, fd, cfg);
    return OK;
  },
});

/** The toolstack sets a user's RLIMIT_MEMLOCK; never below what it is charged now (EINVAL). */
export const setMemlock = defineOp({
  name: 'setMemlock',
  actor: 'toolstack',
  weight: 1,
  doc: "set process proc's RLIMIT_MEMLOCK to pages pages (not below what its fds are charged)",
  gen: { proc: { kind: 'dom' }, pages: { kind: 'int', max: () => 12 } },
  resolve: (state, raw) => (state.ioasid !== undefined && isVmm(state, raw.proc) ? { proc: raw.proc, pages: raw.pages } : null),
  enabled: () => true,
  apply(state, { proc, pages }) {
    const s = state.ioasid;
    if (s === undefined) return fail('EOPNOTSUPP');
    if (!isVmm(state, proc)) return fail('ESRCH');
    const charged = s.fds.reduce((n, f) => n + (f !== null && f.owner === proc ? f.lockedPages : 0), 0);
    if (!Number.isInteger(pages) || pages < charged) return fail('EINVAL');
    s.memlock[proc] = pages;
    return OK;
  },
});
