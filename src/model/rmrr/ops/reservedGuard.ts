/**
 * Keeping reserved GFNs free (v2). Guideline-3 of seed 003 asks for "a function which allows
 * hypervisor to force reserving one or more gfn ranges": once the domain builder has reserved a
 * guest's RMRR GFNs, Xen refuses to put anything else there — guest RAM, a foreign map, a grant map —
 * so that when the device comes, the hypervisor's check finds them unoccupied. (George Dunlap: "we
 * don't have a reliable way to reclaim a particular gpfn space from a guest once it's been used".)
 */
import { isReservedGfn } from '../rmrr.ts';
import type { OpDef } from '../../core/op.ts';
import { fail } from '../../core/op.ts';

/**
 * Wrap an op that maps something at GFN `args[gfnArg]` of domain `args[domArg]` so that it refuses
 * (EBUSY) reserved GFNs. Everything else about the op is unchanged.
 */
export function guardReservedGfn(op: OpDef, domArg: string, gfnArg: string): OpDef {
  return {
    ...op,
    doc: `${op.doc}; refused at a GFN reserved for an RMRR`,
    apply(state, args, ctx) {
      const dom = args[domArg];
      const gfn = args[gfnArg];
      if (typeof dom === 'number' && typeof gfn === 'number' && gfn >= 0 && isReservedGfn(state, dom, gfn)) {
        ctx.note('reserved-gfn-map-refused');
        return fail('EBUSY');
      }
      return op.apply(state, args, ctx);
    },
  };
}
