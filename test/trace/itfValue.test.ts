import { describe, expect, it } from 'vitest';
import { decodeItf, encodeItf, ItfDecodeError } from '../../src/trace/itfValue.ts';

describe('encodeItf', () => {
  it('encodes integers as #bigint, strings and booleans as themselves', () => {
    expect(encodeItf(42)).toEqual({ '#bigint': '42' });
    expect(encodeItf(-1)).toEqual({ '#bigint': '-1' });
    expect(encodeItf('ram_rw')).toBe('ram_rw');
    expect(encodeItf(true)).toBe(true);
  });

  it('encodes dense arrays of plain values as sequences, target lists as sets', () => {
    expect(encodeItf([3, 1])).toEqual([{ '#bigint': '3' }, { '#bigint': '1' }]);
    expect(encodeItf({ targets: [2, 1] })).toEqual({ targets: { '#set': [{ '#bigint': '1' }, { '#bigint': '2' }] } });
  });

  it('encodes sparse tables (nulls, or records) as maps from index, leaving the empty slots out', () => {
    expect(encodeItf([null, { mfn: 6 }, null])).toEqual({ '#map': [[{ '#bigint': '1' }, { mfn: { '#bigint': '6' } }]] });
    expect(encodeItf({ 1: [null], 2: [] })).toEqual({ '#map': [[{ '#bigint': '1' }, { '#map': [] }], [{ '#bigint': '2' }, []]] });
  });

  it('drops null and undefined record fields (ITF has no null)', () => {
    expect(encodeItf({ a: null, b: undefined, c: 1 })).toEqual({ c: { '#bigint': '1' } });
  });

  it('refuses what ITF cannot say', () => {
    expect(() => encodeItf(1.5)).toThrow(/non-integer/);
    expect(() => encodeItf(() => 1)).toThrow(/no encoding/);
  });
});

describe('decodeItf', () => {
  it('decodes every tagged value', () => {
    expect(decodeItf({ '#bigint': '-7' })).toBe(-7);
    expect(decodeItf(5)).toBe(5);
    expect(decodeItf({ '#set': [{ '#bigint': '1' }, 'a'] })).toEqual([1, 'a']);
    expect(decodeItf({ '#tup': [{ '#bigint': '7' }, 'seven'] })).toEqual([7, 'seven']);
    expect(decodeItf({ '#tup': [] })).toEqual([]);
    expect(decodeItf({ '#map': [[{ '#bigint': '1' }, 'a']] })).toEqual(new Map([[1, 'a']]));
    expect(decodeItf({ tag: 'Some', value: { '#bigint': '3' } })).toEqual({ tag: 'Some', value: 3 });
    expect(decodeItf([{ x: { '#bigint': '1' } }])).toEqual([{ x: 1 }]);
  });

  it('round-trips action arguments and model records', () => {
    for (const v of [0, 17, 'mfn', false, [1, 2, 3], { owner: { kind: 'dom', dom: 3 }, gen: 2 }]) expect(decodeItf(encodeItf(v))).toEqual(v);
  });

  it.each([
    [{ '#bigint': 'x1' }, '/#bigint', /decimal digits/],
    [{ '#bigint': '123456789012345678901' }, '/#bigint', /beyond the integers/],
    [{ '#bigint': '1', extra: 2 }, '', /exactly one field/],
    [{ '#set': 3 }, '/#set', /must be an array/],
    [{ '#map': [[1]] }, '/#map/0', /\[key, value\] pair/],
    [{ '#unserializable': 'Int' }, '', /unserializable/],
    [{ a: [null] }, '/a/0', /not an ITF value/],
    [1.5, '', /not an integer/],
  ])('refuses %j at its path', (value, path, message) => {
    try {
      decodeItf(value);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ItfDecodeError);
      expect((e as ItfDecodeError).path).toBe(path);
      expect((e as Error).message).toMatch(message);
    }
  });
});
