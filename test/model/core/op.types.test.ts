/**
 * Action argument types come from the generator spec: `defineOp` types `resolve`'s raw arguments from
 * `gen` and `enabled`/`apply`'s from what `resolve` returns. The `@ts-expect-error` lines are the test
 * (the typecheck, `npx tsc --noEmit`, fails if any of them stops being an error); the runtime checks
 * say the arbitraries draw exactly what the types claim.
 */
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { argArbitrary, opArbitrary } from '../../../src/fuzz/arbitraries.ts';
import type { OpDef, RawArgs } from '../../../src/model/core/op.ts';
import { defineOp, OK } from '../../../src/model/core/op.ts';
import { DEFAULT_SCOPE } from '../../../src/model/core/scope.ts';
import { decreaseReservation } from '../../../src/model/core/ops/memory.ts';

/** An op with one argument of every kind. */
const probe = defineOp({
  name: 'probe',
  actor: 'guest',
  doc: 'one argument of every kind',
  gen: {
    dom: { kind: 'dom' },
    page: { kind: 'pick' },
    slot: { kind: 'int', max: () => 3 },
    write: { kind: 'bool' },
    space: { kind: 'oneOf', values: ['ppgtt', 'ggtt'] },
  },
  resolve(_state, raw) {
    // @ts-expect-error a dom is drawn as a number
    const named: string = raw.dom;
    // @ts-expect-error oneOf draws one of its values, and 'aperture' is not one
    if (raw.space === 'aperture') return null;
    // @ts-expect-error an argument the spec does not draw
    void raw.missing;
    void named;
    return { dom: raw.dom, write: raw.write, space: raw.space };
  },
  enabled: (_state, a) => a.write,
  apply(_state, a) {
    // @ts-expect-error the resolved arguments are what resolve returned: no slot
    void a.slot;
    expectTypeOf(a.space).toEqualTypeOf<'ppgtt' | 'ggtt'>();
    return OK;
  },
});

describe('argument types derived from the generator spec', () => {
  it('types the raw record from gen and the resolved one from resolve', () => {
    expectTypeOf<RawArgs<typeof probe.gen>>().toEqualTypeOf<{ dom: number; page: number; slot: number; write: boolean; space: 'ppgtt' | 'ggtt' }>();
    expectTypeOf(probe.apply).parameter(1).toEqualTypeOf<{ dom: number; write: boolean; space: 'ppgtt' | 'ggtt' }>();
    expectTypeOf(decreaseReservation.apply).parameter(1).toEqualTypeOf<{ dom: number; gfn: number }>();
  });

  it('a typed op sits in a list of ops without a cast, and a wrapper that spreads it stays typed', () => {
    const ops: OpDef[] = [probe, decreaseReservation];
    const wrapped: typeof decreaseReservation = {
      ...decreaseReservation,
      apply(state, args, ctx) {
        // @ts-expect-error a balloon-out has no mfn argument
        void args.mfn;
        return decreaseReservation.apply(state, args, ctx);
      },
    };
    expect([...ops, wrapped].map((o) => o.name)).toEqual(['probe', 'decreaseReservation', 'decreaseReservation']);
  });

  it('the arbitraries draw what the types say, for every kind', () => {
    const drawn = fc.sample(opArbitrary(probe, DEFAULT_SCOPE), { seed: 9, numRuns: 200 });
    for (const { op, raw } of drawn) {
      expect(op).toBe('probe');
      expect(Object.keys(raw).sort()).toEqual(['dom', 'page', 'slot', 'space', 'write']);
      expect(Number.isInteger(raw.dom) && Number.isInteger(raw.page) && Number.isInteger(raw.slot)).toBe(true);
      expect(raw.slot).toBeGreaterThanOrEqual(0);
      expect(raw.slot).toBeLessThanOrEqual(3);
      expect(typeof raw.write).toBe('boolean');
      expect(['ppgtt', 'ggtt']).toContain(raw.space);
    }
    expect(new Set(drawn.map((d) => d.raw.space)).size).toBe(2);
    expect(fc.sample(argArbitrary({ kind: 'bool' }, DEFAULT_SCOPE), { seed: 1, numRuns: 50 }).every((b) => typeof b === 'boolean')).toBe(true);
  });
});
