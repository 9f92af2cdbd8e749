/**
 * Guest-kernel operations that carry intent (issue 10 item 2): a frontend gives pages away for a
 * purpose and takes them back, as a real driver does — the grant it fills for an I/O buffer, the DMA
 * buffer it hands its GPU driver's device model, and gnttab_end_foreign_access when it is done. The
 * protocol op is the core's (grants.ts); these record, beside it, what the guest meant, so level 3
 * (invariants/levels/) can tell a page the guest gave from one it keeps private.
 */
import { endAccess, grantAccess } from './grants.ts';
import { clearIntent, setIntent } from '../intent.ts';
import { isAlive, pickFrom, ramGfns } from '../lookup.ts';
import { defineOp, fail, OK } from '../op.ts';
import type { State } from '../state.ts';

/** The frame at a guest's own RAM GFN, or undefined. */
function ownFrame(state: State, dom: number, gfn: number): number | undefined {
  const e = state.domains[dom]?.p2m[gfn];
  return e === null || e === undefined || (e.type !== 'ram_rw' && e.type !== 'ram_ro') ? undefined : e.mfn;
}

/** grantAccess, and the guest's intent: the page is now granted to the grantee (an I/O buffer). */
export const grantAccessWithIntent = defineOp({
  ...grantAccess,
  doc: 'granter lets grantee map its gfn under grant ref (the guest now means the page as an I/O buffer for the grantee)',
  apply(state, args, ctx) {
    const r = grantAccess.apply(state, args, ctx);
    const mfn = ownFrame(state, args.granter, args.gfn);
    if (r.ok && mfn !== undefined) setIntent(state, mfn, 'granted', args.grantee);
    return r;
  },
});

/**
 * endAccess, and the guest's intent: once the grant is ended the page is the guest's again, to reuse
 * for private data. Refused (EBUSY) while mapped, as before — a correct guest then keeps the page.
 */
export const endAccessWithIntent = defineOp({
  ...endAccess,
  doc: 'granter ends access to grant ref (EBUSY while mapped); on success the page is private again, free for reuse',
  apply(state, args, ctx) {
    const gfn = state.domains[args.granter]?.grants[args.ref]?.gfn;
    const r = endAccess.apply(state, args, ctx);
    const mfn = gfn === undefined ? undefined : ownFrame(state, args.granter, gfn);
    // Given once per live grant: the page is private again only when its last grant has ended.
    const stillGranted = state.domains[args.granter]?.grants.some((g) => g !== null && g.gfn === gfn) ?? false;
    if (r.ok && mfn !== undefined && !stillGranted) clearIntent(state, mfn);
    return r;
  },
});

/** A guest's GPU driver gives one of its pages to the backend as a DMA buffer (what its GTT will name). */
export const giveDmaBuffer = defineOp({
  name: 'giveDmaBuffer',
  actor: 'guest',
  doc: "guest's GPU driver allocates an I/O buffer at gfn and gives it to the backend's device model for DMA",
  gen: { dom: { kind: 'dom' }, gfn: { kind: 'pick' } },
  resolve(state, raw) {
    if (!isAlive(state, raw.dom) || raw.dom === state.gpu.backend) return null;
    const gfn = pickFrom(ramGfns(state, raw.dom), raw.gfn);
    return gfn === undefined ? null : { dom: raw.dom, gfn };
  },
  enabled: (state, a) => isAlive(state, a.dom),
  apply(state, { dom, gfn }) {
    if (!isAlive(state, dom)) return fail('ESRCH');
    const mfn = ownFrame(state, dom, gfn);
    if (mfn === undefined || dom === state.gpu.backend) return fail('EINVAL');
    setIntent(state, mfn, 'dma-buffer', state.gpu.backend);
    return OK;
  },
});
