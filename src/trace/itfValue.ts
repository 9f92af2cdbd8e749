/**
 * Values in the Informal Trace Format (ITF, Apalache ADR-015, as Quint writes it): integers as
 * `{"#bigint": "42"}`, sets as `{"#set": [...]}`, maps as `{"#map": [[key, value], ...]}`, tuples as
 * `{"#tup": [...]}`, records as JSON objects, sequences as JSON arrays, sum-type variants as
 * `{"tag": ..., "value": ...}`. ITF has no null, so the model's sparse tables (arrays with empty
 * slots, and records keyed by number such as the DMA tables) become maps from index to entry.
 */

/** The model's fields that are sets of ids, not sequences. */
const SET_FIELDS = new Set(['targets']);

/** A decoding failure at a JSON path inside the ITF document. */
export class ItfDecodeError extends Error {
  override name = 'ItfDecodeError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** `{"#bigint": "n"}`. */
export function bigint(n: number): { '#bigint': string } {
  return { '#bigint': String(n) };
}

function isIndexKeyed(o: object): boolean {
  const keys = Object.keys(o);
  return keys.length > 0 && keys.every((k) => /^(0|[1-9][0-9]*)$/.test(k));
}

/** Encode model data (plain numbers, strings, booleans, arrays, objects, nulls) as an ITF value. */
export function encodeItf(value: unknown, field?: string): unknown {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`ITF has no encoding for the non-integer ${value}`);
    return bigint(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    if (field !== undefined && SET_FIELDS.has(field)) return { '#set': [...value].sort((a, b) => a - b).map((v) => encodeItf(v)) };
    const sparse = value.some((v) => v === null || (typeof v === 'object' && !Array.isArray(v)));
    if (!sparse) return value.map((v) => encodeItf(v));
    const pairs: unknown[] = [];
    value.forEach((v, i) => {
      if (v !== null) pairs.push([bigint(i), encodeItf(v)]);
    });
    return { '#map': pairs };
  }
  if (value !== null && typeof value === 'object') {
    if (isIndexKeyed(value)) {
      return { '#map': Object.entries(value).map(([k, v]) => [bigint(Number(k)), encodeItf(v, k)]) };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) out[k] = encodeItf(v, k);
    return out;
  }
  throw new Error(`ITF has no encoding for ${String(value)}`);
}

/** A decoded ITF map: its entries in file order. */
export type ItfMap = Map<unknown, unknown>;

function only(o: Record<string, unknown>, key: string, path: string): unknown {
  if (Object.keys(o).length !== 1) throw new ItfDecodeError(path, `a ${key} value has exactly one field`);
  return o[key];
}

/**
 * Decode an ITF value into plain JavaScript: integers to numbers (refused outside the safe range),
 * sets and tuples to arrays, maps to `Map`, records to objects, variants to `{ tag, value }`.
 */
export function decodeItf(value: unknown, path = ''): unknown {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    // Older ITF writers put small integers as JSON numbers; accept those.
    if (!Number.isSafeInteger(value)) throw new ItfDecodeError(path, `${value} is not an integer`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => decodeItf(v, `${path}/${i}`));
  if (value === null || typeof value !== 'object') throw new ItfDecodeError(path, `${String(value)} is not an ITF value`);
  const o = value as Record<string, unknown>;
  if ('#bigint' in o) {
    const text = only(o, '#bigint', path);
    if (typeof text !== 'string' || !/^-?[0-9]+$/.test(text)) throw new ItfDecodeError(`${path}/#bigint`, 'must be a string of decimal digits');
    const n = Number(text);
    if (!Number.isSafeInteger(n)) throw new ItfDecodeError(`${path}/#bigint`, `${text} is beyond the integers the model uses`);
    return n;
  }
  if ('#set' in o || '#tup' in o) {
    const key = '#set' in o ? '#set' : '#tup';
    const items = only(o, key, path);
    if (!Array.isArray(items)) throw new ItfDecodeError(`${path}/${key}`, 'must be an array');
    return items.map((v, i) => decodeItf(v, `${path}/${key}/${i}`));
  }
  if ('#map' in o) {
    const pairs = only(o, '#map', path);
    if (!Array.isArray(pairs)) throw new ItfDecodeError(`${path}/#map`, 'must be an array of [key, value] pairs');
    const out: ItfMap = new Map();
    pairs.forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) throw new ItfDecodeError(`${path}/#map/${i}`, 'must be a [key, value] pair');
      out.set(decodeItf(pair[0], `${path}/#map/${i}/0`), decodeItf(pair[1], `${path}/#map/${i}/1`));
    });
    return out;
  }
  if ('#unserializable' in o) throw new ItfDecodeError(path, `an unserializable value (${String(o['#unserializable'])})`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = decodeItf(v, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  return out;
}
