/**
 * The compromised (or merely buggy) client's move that matters for level 3: it reuses a page for
 * private data while the protocol says the page is still given — its grant could not be ended
 * (endAccess answered EBUSY because the backend still maps it) or its DMA buffer was never taken back
 * (issue 10: "reuse freed pages for private data (also when the protocol said still in use)"). A
 * backend that keeps the mapping then reaches the guest's private data, which level 3 forbids. Every
 * other misdeed a guest can do is already an op with any arguments (grants to anyone, ballooning,
 * foreign-map attempts Xen refuses). Exists only in worlds whose client guests are compromised.
 */
import { clearIntent, intentOf } from '../intent.ts';
import { isCompromised, whenGuestCompromised } from '../adversary.ts';
import { isAlive, pickFrom, ramGfns } from '../lookup.ts';
import { defineOp, fail, OK } from '../op.ts';
import type { State } from '../state.ts';

/** The guest's own RAM GFNs whose frame it still means as given. */
function givenGfns(state: State, dom: number): number[] {
  return ramGfns(state, dom).filter((gfn) => intentOf(state, state.domains[dom].p2m[gfn]!.mfn) !== 'private');
}

/** Whether one of the guest's live grants of `gfn` is still mapped by its grantee. */
function grantStillMapped(state: State, dom: number, gfn: number): boolean {
  return state.domains[dom].grants.some((g) => g !== null && g.gfn === gfn && g.maps > 0);
}

/** A compromised guest writes private data into a page it still has given away. */
export const reuseStillGiven = defineOp({
  name: 'reuseStillGiven',
  actor: 'guest',
  generatedWhen: whenGuestCompromised,
  weight: 3,
  doc: 'compromised (buggy) guest reuses a page for private data while the protocol says it is still given (grant not ended, buffer not taken back)',
  gen: { dom: { kind: 'dom' }, gfn: { kind: 'pick' } },
  resolve(state, raw) {
    if (!isAlive(state, raw.dom) || raw.dom === state.gpu.backend || !isCompromised(state, raw.dom)) return null;
    const gfn = pickFrom(givenGfns(state, raw.dom), raw.gfn);
    return gfn === undefined ? null : { dom: raw.dom, gfn };
  },
  enabled: (state, a) => isAlive(state, a.dom),
  apply(state, { dom, gfn }, ctx) {
    if (!isAlive(state, dom)) return fail('ESRCH');
    if (dom === state.gpu.backend || !isCompromised(state, dom)) return fail('EPERM');
    const e = state.domains[dom].p2m[gfn];
    if (e === null || e === undefined || (e.type !== 'ram_rw' && e.type !== 'ram_ro')) return fail('EINVAL');
    if (intentOf(state, e.mfn) === 'private') return fail('EINVAL');
    ctx.note(grantStillMapped(state, dom, gfn) ? 'compromised: page reused for private data while its grant is still mapped' : 'compromised: page reused for private data while still given');
    clearIntent(state, e.mfn);
    return OK;
  },
});
