/**
 * A custom operation in a design file: a balloon driver whose XENMEM_decrease_reservation refuses
 * gfn 0 (where, say, its shared rings live) and otherwise does exactly what the baseline's does.
 * The op is the baseline's with `apply` wrapped, so everything else — generation, resolution, the
 * enabled check — stays the model's. A refusal is an answer (`fail('EPERM')`), never a throw.
 *
 * Audit it: npx shadowcheck audit examples/balloon-keeps-gfn-0.ts
 * Expected: nothing newly broken, nothing newly fixed (exit 0) — refusing more is never less safe here.
 */
import { defineOp, deriveDesign, fail, xenMapForDma } from '../src/api.ts';
import type { OpDef } from '../src/api.ts';

const baseline: OpDef | undefined = xenMapForDma.ops.find((op) => op.name === 'decreaseReservation');
if (baseline === undefined) throw new Error('xen-map-for-dma has no decreaseReservation');

const decreaseReservation = defineOp({
  ...baseline,
  doc: 'guest dom balloons out gfn, except gfn 0, which it keeps',
  apply: (state, args, ctx) => (args.gfn === 0 ? fail('EPERM') : baseline.apply(state, args, ctx)),
});

export default deriveDesign(xenMapForDma, {
  id: 'balloon-keeps-gfn-0',
  title: 'decrease_reservation refuses gfn 0',
  source: 'docs/api.md (worked example of a custom op)',
  ops: { decreaseReservation },
});
