/**
 * writable-mapping-holds-type-ref — every frame's writable-type count (`type_info` for
 * PGT_writable_page) equals the writable grant mapping halves that Xen makes take one: writable
 * device halves, and writable host halves of a PV granter (gnttab_host_mapping_get_page_type). A
 * writable mapping without its type reference lets the frame change type — become a page table or a
 * descriptor page — while a grantee can still write it; a type reference left behind pins the type
 * after the mapping is gone.
 * Check it alone: `npx shadowcheck fuzz --invariant writable-mapping-holds-type-ref`
 */
import { pagingExternal } from '../../src/model/core/grantRules.ts';
import type { StateInvariant, Witness } from '../types.ts';
import { liveHalves } from './grantHalves.ts';

/** A frame whose writable-type count differs from the writable mappings that should hold one. */
export interface TypeRefWitness extends Witness {
  reason: 'writable-mapping-without-type-ref' | 'type-ref-without-writable-mapping';
  mfn: number;
  expected: number;
  actual: number;
}

export const writableMappingHoldsTypeRef: StateInvariant<TypeRefWitness> = {
  kind: 'state',
  id: 'writable-mapping-holds-type-ref',
  title: "each frame's PGT_writable_page count equals the writable grant mappings that take one",
  category: 'security',
  rationale:
    'Xen lets a page become a page table only when nothing holds a writable-type reference to it; a writable grant mapping without one could write the page tables it becomes.',
  source: 'xen/common/grant_table.c (map_grant_ref: get_page_type(PGT_writable_page); unmap_common_complete: put_page_and_type); issue 11 item 2',
  check(d) {
    const s = d.state;
    const want = new Map<number, number>();
    for (const h of liveHalves(s)) {
      if (h.mfn < 0 || h.readonly) continue;
      if (h.half === 'host' && pagingExternal(s, h.granter)) continue;
      want.set(h.mfn, (want.get(h.mfn) ?? 0) + 1);
    }
    const out: TypeRefWitness[] = [];
    for (let mfn = 0; mfn < s.frames.length; mfn++) {
      const f = s.frames[mfn];
      if (f.kind === 'mmio') continue;
      const expected = want.get(mfn) ?? 0;
      const actual = f.typeCount ?? 0;
      if (expected === actual) continue;
      out.push({ reason: actual < expected ? 'writable-mapping-without-type-ref' : 'type-ref-without-writable-mapping', mfn, expected, actual });
    }
    return out;
  },
  describe: (w) =>
    w.reason === 'writable-mapping-without-type-ref'
      ? `mfn ${w.mfn} is mapped writable by ${w.expected} grant half(s) that take a type reference, but its PGT_writable_page count is ${w.actual}`
      : `mfn ${w.mfn} has PGT_writable_page count ${w.actual} but only ${w.expected} writable grant half(s) hold one`,
};
