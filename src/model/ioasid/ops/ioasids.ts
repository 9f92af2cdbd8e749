/**
 * Allocating and freeing IOASIDs (seed 001 §5.1–5.7): IOASID_ALLOC gives a gpa root, IOASID_CREATE_NESTING
 * a giova, gva or PASID-table IOASID nested on a gpa root, and a free is refused while anything is
 * attached to the IOASID or nested on it.
 */
import { defineOp, fail, OK, okValue } from '../../core/op.ts';
import type { OpContext } from '../../core/op.ts';
import type { State } from '../../core/state.ts';
import { ioasidConfig } from '../knobs.ts';
import { drainFaults, recharging, settleFd, unpinRange } from '../kernel.ts';
import { childrenOf, IOASIDS_PER_FD, IOVA_PAGES, ioasidInUse, liveFd, liveIoasid, openFds } from '../lookup.ts';
import type { IoasidKind } from '../state.ts';
import { pickFd, resolveFdIoasid } from './args.ts';

/** Put a new IOASID in the lowest free slot of the fd (FD-local ids are reused), answering its id. */
function allocate(state: State, fd: number, kind: IoasidKind, parent: number, ctx: OpContext) {
  const s = state.ioasid!;
  const f = liveFd(s, fd)!;
  let id = f.ioasids.indexOf(null);
  if (id < 0) id = f.ioasids.length;
  if (id >= IOASIDS_PER_FD) return fail('ENOSPC');
  f.ioasids[id] = { kind, parent, maps: new Array(IOVA_PAGES).fill(null), shadow: new Array(IOVA_PAGES).fill(null), bound: null };
  settleFd(state, s, fd, ioasidConfig(ctx.knobs));
  return okValue(id);
}

/** IOASID_ALLOC: a new gpa (root) IOASID. */
export const ioasidAlloc = defineOp({
  name: 'ioasidAlloc',
  actor: 'backend',
  weight: 1,
  doc: 'IOASID_ALLOC: a new root (gpa) IOASID in fd fd',
  gen: { fd: { kind: 'pick' } },
  resolve(state, raw) {
    const fd = state.ioasid === undefined ? undefined : pickFd(state.ioasid, raw.fd);
    return fd === undefined ? null : { fd };
  },
  enabled: () => true,
  apply(state, { fd }, ctx) {
    if (state.ioasid === undefined || liveFd(state.ioasid, fd) === undefined) return fail('ENOENT');
    return allocate(state, fd, 'gpa', -1, ctx);
  },
});

/** Nested kinds as generated: GVA spaces twice as often, since vSVA (§5.5) is what the PASID flows need. */
const KINDS: readonly IoasidKind[] = ['gva', 'gva', 'giova', 'pasidtbl'];

/** IOASID_CREATE_NESTING: a child nested on a gpa root of the same fd. */
export const createNesting = defineOp({
  name: 'createNesting',
  actor: 'backend',
  weight: 4,
  doc: 'IOASID_CREATE_NESTING: a giova, gva or PASID-table IOASID nested on parent, which must be a gpa root (EINVAL); a PASID-table one only with pasidTable=user-bound',
  gen: { fd: { kind: 'pick' }, newest: { kind: 'bool' }, parent: { kind: 'pick' }, kind: { kind: 'int', max: () => KINDS.length - 1 } },
  resolve(state, raw) {
    const s = state.ioasid;
    // Sometimes in the newest fd: another process's nested spaces are where a wrong attach lands.
    const fd = s === undefined ? undefined : raw.newest ? openFds(s).at(-1) : pickFd(s, raw.fd);
    if (s === undefined || fd === undefined) return null;
    const roots = liveFd(s, fd)!.ioasids.map((a, i) => (a !== null && a.parent < 0 ? i : -1)).filter((i) => i >= 0);
    return { fd, parent: roots.length > 0 ? roots[raw.parent % roots.length] : -1, kind: KINDS[raw.kind] };
  },
  enabled: () => true,
  apply(state, { fd, parent, kind }, ctx) {
    const s = state.ioasid;
    if (s === undefined || liveFd(s, fd) === undefined) return fail('ENOENT');
    const p = liveIoasid(s, fd, parent);
    if (p === undefined) return fail('ENOENT');
    if (p.kind !== 'gpa' || p.parent >= 0 || (kind !== 'giova' && kind !== 'gva' && kind !== 'pasidtbl')) return fail('EINVAL');
    // A vPASID space (§5.7) exists only where the guest owns the PASID table.
    if (kind === 'pasidtbl' && ioasidConfig(ctx.knobs).pasidTable === 'kernel') return fail('EOPNOTSUPP');
    return allocate(state, fd, kind, parent, ctx);
  },
});

/** IOASID_FREE: EBUSY while attached or nested on; its mappings go, its pending faults are drained (drainOnFree). */
export const ioasidFree = defineOp({
  name: 'ioasidFree',
  actor: 'backend',
  weight: 1,
  doc: 'free IOASID ioasid of fd fd (EBUSY while a device, group, KVM PASID or child uses it); its mappings are unpinned and its pending faults drained',
  gen: { fd: { kind: 'pick' }, ioasid: { kind: 'pick' } },
  resolve: resolveFdIoasid,
  enabled: () => true,
  apply(state, { fd, ioasid }, ctx) {
    const s = state.ioasid;
    const f = s === undefined ? undefined : liveFd(s, fd);
    if (s === undefined || f === undefined || liveIoasid(s, fd, ioasid) === undefined) return fail('ENOENT');
    if (ioasidInUse(s, fd, ioasid) || childrenOf(f, ioasid).length > 0) return fail('EBUSY');
    const cfg = ioasidConfig(ctx.knobs);
    recharging(s, fd, cfg, () => {
      unpinRange(state, s, fd, ioasid, Array.from({ length: IOVA_PAGES }, (_, i) => i));
      f.ioasids[ioasid] = null;
    });
    const pending = (p: { fd: number; ioasid: number }) => p.fd === fd && p.ioasid === ioasid;
    if (s.pendingFaults.some(pending)) {
      ctx.note('ioasid-freed-with-faults-pending');
      if (cfg.drainOnFree) drainFaults(s, pending);
    }
    settleFd(state, s, fd, cfg);
    return OK;
  },
});
