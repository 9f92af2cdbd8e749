import { describe, expect, it } from 'vitest';
import { encodeTyped, ItfTypeError, join, typeOf, typeText } from '../../src/trace/itfType.ts';

const none = { tag: 'None', value: { '#tup': [] } };
const typeOver = (...values: unknown[]) => values.map((v) => typeOf(v)).reduce(join);

describe('joined ITF types', () => {
  it('gives a record every field any value has, optional ones as Option', () => {
    const t = typeOver({ kind: 'free' }, { kind: 'dom', dom: 3 });
    expect(typeText(t)).toBe('{ dom: (None(UNIT) | Some(Int)), kind: Str }');
    expect(encodeTyped({ kind: 'free' }, t)).toEqual({ kind: 'free', dom: none });
    expect(encodeTyped({ kind: 'dom', dom: 3 }, t)).toEqual({ kind: 'dom', dom: { tag: 'Some', value: { '#bigint': '3' } } });
  });

  it('writes a table that is sparse in one state as a map in every state, even empty', () => {
    const t = typeOver([], [null, { mfn: 6 }]);
    expect(typeText(t)).toBe('Int -> { mfn: Int }');
    expect(encodeTyped([], t)).toEqual({ '#map': [] });
    expect(encodeTyped([null, { mfn: 6 }], t)).toEqual({ '#map': [[{ '#bigint': '1' }, { mfn: { '#bigint': '6' } }]] });
  });

  it('keeps dense lists of plain values as sequences and target lists as sets', () => {
    expect(typeText(typeOver([1, 2], []))).toBe('Seq(Int)');
    expect(typeText(typeOf({ targets: [] }))).toBe('{ targets: Set(a) }');
    expect(encodeTyped({ targets: [2, 1] }, typeOf({ targets: [2, 1] }))).toEqual({ targets: { '#set': [{ '#bigint': '1' }, { '#bigint': '2' }] } });
  });

  it('writes a collection no state fills as a map with an unknown element type', () => {
    expect(typeText(typeOver([], []))).toBe('Int -> a');
    expect(typeText(typeOf({ 1: [null], 2: [] }))).toBe('Int -> (Int -> a)');
  });

  it('refuses values whose types cannot be joined', () => {
    expect(() => typeOver(1, 'one')).toThrow(ItfTypeError);
    expect(() => typeOf(1.5)).toThrow(/non-integer/);
  });
});
