/**
 * steal-only-exclusive-pages (transition) — Steal succeeds only if every page was frontend-owned RAM
 * (`ram_rw`, its own) that no one else could reach: no other reference (foreign or grant map, IOMMU or
 * GPU table entry, hypercall in flight), no grant of it, no principal of another domain reaching it;
 * afterwards each page is backend-owned, mapped by the backend and Mapped in the frontend, as if provided
 * by Map. A Steal that fails changes nothing (seed 004, Demi Marie Obenour 2025-02-02).
 * Written over the derived relations, independently of Steal's own checks.
 * Check it alone: `npx shadowcheck fuzz --design virtio-gpu-primitives --invariant steal-only-exclusive-pages`
 */
import { hex } from '../../src/model/core/words.ts';
import { derive } from '../../src/model/derived.ts';
import type { Derived } from '../../src/model/derived.ts';
import { stateDifference } from '../../src/model/core/equal.ts';
import type { State } from '../../src/model/core/state.ts';
import type { HolderWitness, TransitionInvariant, Witness } from '../types.ts';
import type { Hop } from '../../src/model/core/path.ts';
import type { ArgsOf } from '../../src/model/core/op.ts';
import type { steal } from '../../src/model/virtio/ops/steal.ts';

/** What made `dom`'s page at `gfn` not exclusively its own RAM before the Steal, or undefined. */
function notExclusive(d: Derived, dom: number, gfn: number): string | undefined {
  const s = d.state;
  const e = s.domains[dom].p2m[gfn];
  if (e === null || e === undefined) return 'no page at the gfn';
  const f = s.frames[e.mfn];
  if (f.kind !== 'ram' || f.owner.kind !== 'dom' || f.owner.dom !== dom) return 'not RAM the frontend owns';
  if (e.type !== 'ram_rw' || e.map !== undefined || e.grant !== undefined || e.foreign !== undefined) return `p2m type ${e.type}, not the frontend's own ram_rw`;
  if (s.domains[dom].grants.some((g) => g !== null && g.gfn === gfn)) return 'granted to another domain';
  for (const r of d.refs()) {
    if (r.mfn !== e.mfn) continue;
    // The frontend's own device's DMA and its own IOMMU context's cached translations are its own
    // holders: Steal's flush waits for the one and drops the other.
    const own =
      r.holder.via === 'p2m'
        ? r.holder.dom === dom && r.holder.gfn === gfn
        : (r.holder.via === 'dmaInFlight' && r.holder.dom === dom) || (r.holder.via === 'iotlb' && r.holder.ctx === `dom${dom}`);
    const holderDom = holderDomain(r.holder);
    if (!own) return `also held by ${r.holder.via}${holderDom !== undefined ? ` of dom${holderDom}` : ''}`;
  }
  const other = d.reach().find((r) => r.mfn === e.mfn && r.principal.dom !== dom);
  if (other !== undefined) return `reachable by dom${other.principal.dom} ${other.principal.kind}`;
  return undefined;
}

/** What is wrong with a page after a successful Steal, or undefined: it must look Mapped by the backend. */
function notAsMapped(s: State, backend: number, dom: number, gfn: number, mfn: number): string | undefined {
  const f = s.frames[mfn];
  if (f.owner.kind !== 'dom' || f.owner.dom !== backend) return 'not owned by the backend';
  const e = s.domains[dom].p2m[gfn];
  const m = e?.map !== undefined ? s.virtio?.maps[e.map.handle] : undefined;
  if (e === null || e === undefined || m === null || m === undefined || m.provider !== backend || m.mfn !== mfn) return 'not Mapped into the frontend by the backend';
  if (!s.domains[backend].p2m.some((x) => x !== null && x.mfn === mfn && x.type === 'ram_rw')) return 'the backend has no mapping of it';
  return undefined;
}

/** The domain a holder hop names, for those that name one. */
function holderDomain(h: Hop): number | undefined {
  return 'dom' in h ? h.dom : undefined;
}

/** A refused Steal that changed the state, or a stolen page that was not the frontend's alone or not as it had mapped it. */
export type StealWitness =
  | (Witness & { reason: 'refused-steal-changed-state'; dom: number })
  | (HolderWitness<'p2m', 'stole-non-exclusive-page' | 'stolen-page-not-as-mapped'> & { dom: number; mfn?: number });

export const stealOnlyExclusivePages: TransitionInvariant<StealWitness, ArgsOf<typeof steal>> = {
  kind: 'transition',
  id: 'steal-only-exclusive-pages',
  title: 'Steal succeeds only on frontend RAM nobody else can reach, and a failed Steal changes nothing',
  category: 'security',
  rationale:
    'A stolen page becomes backend memory the frontend can no longer treat as RAM; if anyone else still held it — a hypercall, a grant, a foreign map, another device — they would keep reaching memory the backend now owns and may reuse.',
  source: 'seed 004: Demi Marie Obenour 2025-02-02 (Steal and its failure conditions)',
  ops: ['steal'],
  check(before, action, result, after) {
    const dom = action.dom;
    const gfns = Array.isArray(action.gfns) ? action.gfns : [];
    if (!result.ok) {
      const changed = stateDifference(before, after.state);
      return changed === undefined ? [] : [{ reason: 'refused-steal-changed-state', dom, expected: 'no change', actual: changed }];
    }
    const out: StealWitness[] = [];
    const d = derive(before);
    for (const gfn of gfns) {
      const why = notExclusive(d, dom, gfn);
      const mfn = before.domains[dom]?.p2m[gfn]?.mfn;
      if (why !== undefined) out.push({ reason: 'stole-non-exclusive-page', dom, mfn, holder: { via: 'p2m', dom, gfn }, actual: why });
      else if (mfn !== undefined) {
        const wrong = notAsMapped(after.state, action.backend, dom, gfn, mfn);
        if (wrong !== undefined) out.push({ reason: 'stolen-page-not-as-mapped', dom, mfn, holder: { via: 'p2m', dom, gfn }, actual: wrong });
      }
    }
    return out;
  },
  describe(w) {
    if (w.reason === 'refused-steal-changed-state') return `a refused Steal from dom${w.dom} still changed ${String(w.actual)}`;
    const page = `dom${w.dom} gfn ${hex(w.holder.gfn)}${w.mfn !== undefined ? ` (mfn ${hex(w.mfn)})` : ''}`;
    return w.reason === 'stole-non-exclusive-page'
      ? `Steal took ${page} although it was ${String(w.actual)}`
      : `after Steal, ${page} is ${String(w.actual)}`;
  },
};
