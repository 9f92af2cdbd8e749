/**
 * type-ok (state) — TLA+'s TypeOK: every value in the state is of its type. Every id is in range and
 * every cross-reference resolves to a slot that exists: p2m and IOMMU MFNs below `frames.length`,
 * owners, grantees, targets and granters are created domains, grant refs and maptrack handles index
 * their tables, and each slice's own references (Map handles and parents, PPGTT roots, devices'
 * owners, in-flight records) name what exists. It says nothing about whether a reference is *live* or
 * *allowed* — the semantic invariants judge that — so it holds in every design, sound or not, and a
 * break means the model itself corrupted its state. Each slice contributes its checks (typeOk/).
 * Checked first, as a TLA+ spec checks TypeOK first.
 * Check it alone: `npx shadowcheck fuzz --invariant type-ok`
 */
import type { State } from '../../src/model/core/state.ts';
import type { StateInvariant } from '../types.ts';
import { TypeFindings } from './typeOk/check.ts';
import { coreTypeOk } from './typeOk/core.ts';
import { gpuShadowTypeOk } from './typeOk/gpuShadow.ts';
import { rmrrTypeOk } from './typeOk/rmrr.ts';
import { virtioTypeOk } from './typeOk/virtio.ts';

/** The checks, core first: a slice's checks may assume the core's domain and frame ids are sound. */
const SLICE_CHECKS: readonly ((t: TypeFindings, s: State) => void)[] = [coreTypeOk, rmrrTypeOk, gpuShadowTypeOk, virtioTypeOk];

export const typeOk: StateInvariant = {
  kind: 'state',
  id: 'type-ok',
  title: 'Every id is in range and every cross-reference resolves',
  category: 'functional',
  rationale:
    'Every other invariant indexes the state by the ids it holds; a dangling MFN, grant ref or Map handle makes them judge garbage (or read undefined). TypeOK first means a model bug is reported as one, not as a security finding.',
  source: 'TLA+ TypeOK (tlaplus/Examples transaction_commit/TCommit.tla); issue 9 item 6',
  check(d) {
    const t = new TypeFindings();
    for (const check of SLICE_CHECKS) check(t, d.state);
    return t.out;
  },
  describe(w) {
    return `${String(w.expected)}, but holds ${JSON.stringify(w.actual)}`;
  },
};
