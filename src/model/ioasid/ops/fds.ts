/** Opening and closing /dev/ioasid (seed 001 §5.1: `ioasid_fd = open("/dev/ioasid", mode)`). */
import { defineOp, fail, OK, okValue } from '../../core/op.ts';
import { ioasidConfig } from '../knobs.ts';
import { liveFd } from '../lookup.ts';
import { closeFd } from '../kernel.ts';
import { isVmm, pickFd } from './args.ts';

/** Most fds open at once in the model. */
const MAX_FDS = 4;

/** A VMM process opens /dev/ioasid. */
export const ioasidOpen = defineOp({
  name: 'ioasidOpen',
  actor: 'backend',
  weight: 1,
  doc: 'VMM process proc opens /dev/ioasid and gets a new IOASID fd',
  gen: { proc: { kind: 'dom' } },
  resolve: (state, raw) => (state.ioasid !== undefined && isVmm(state, raw.proc) ? { proc: raw.proc } : null),
  enabled: (state, a) => isVmm(state, a.proc),
  apply(state, { proc }) {
    const s = state.ioasid;
    if (s === undefined) return fail('EOPNOTSUPP');
    if (!isVmm(state, proc)) return fail('ESRCH');
    if (s.fds.length >= MAX_FDS) return fail('ENOSPC');
    s.fds.push({ owner: proc, ioasids: [], registered: [], lockedPages: 0, ring: [], unsettled: false });
    return okValue(s.fds.length - 1);
  },
});

/** The owner closes an fd: detach, unmap, unpin, unaccount, drain faults. */
export const ioasidClose = defineOp({
  name: 'ioasidClose',
  actor: 'backend',
  weight: 1,
  doc: "the owner closes IOASID fd fd: its devices are detached and unbound, its mappings unpinned and unaccounted, its faults drained",
  gen: { fd: { kind: 'pick' } },
  resolve(state, raw) {
    const s = state.ioasid;
    const fd = s === undefined ? undefined : pickFd(s, raw.fd);
    return fd === undefined ? null : { fd };
  },
  enabled: () => true,
  apply(state, { fd }, ctx) {
    const s = state.ioasid;
    if (s === undefined || liveFd(s, fd) === undefined) return fail('ENOENT');
    closeFd(state, s, fd, ioasidConfig(ctx.knobs), ctx);
    return OK;
  },
});
