/**
 * Typed ITF: one type per variable across all the states of a trace, as typed ITF consumers
 * (Apalache, itf-rs) need. The model state is plain data whose shape varies from state to state —
 * a frame owner is `{kind}` or `{kind, dom}`, a sparse table is empty or not, an optional field is
 * there or not — so the type of each variable is inferred from every state and joined, and each state
 * is then encoded against that joined type: a record always has every field the type has (a field
 * missing somewhere is an `Option`, written `Some(v)` or `None`), a table that is sparse anywhere is a
 * `#map` everywhere (even when empty), and the type is written in Apalache's type syntax for
 * `#meta.varTypes`.
 */
import { bigint } from './itfValue.ts';

/** The model's fields that are sets of ids, not sequences. */
export const SET_FIELDS: ReadonlySet<string> = new Set(['targets']);

/** A type in the trace: what one variable (or part of one) holds in every state. */
export type ItfType =
  | { t: 'Int' }
  | { t: 'Str' }
  | { t: 'Bool' }
  /** Nothing seen yet (only nulls, or a collection that was always empty). */
  | { t: 'unknown' }
  | { t: 'Seq' | 'Set'; of: ItfType }
  /** A map from integer keys (a sparse table, or a record keyed by number). */
  | { t: 'Map'; of: ItfType }
  /** A record; `optional` fields are missing (or null) in some value and are encoded as Option. */
  | { t: 'Rec'; fields: Record<string, ItfType>; optional: ReadonlySet<string> }
  /** An empty array or object: a collection whose kind no state has shown yet. */
  | { t: 'empty' };

/** A value whose type cannot be joined with another (a number in one state, a string in the next). */
export class ItfTypeError extends Error {
  override name = 'ItfTypeError';
}

const UNKNOWN: ItfType = { t: 'unknown' };
const UNIT = { '#tup': [] };

function isIndexKeyed(o: object): boolean {
  const keys = Object.keys(o);
  return keys.length > 0 && keys.every((k) => /^(0|[1-9][0-9]*)$/.test(k));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The type of one value, `field` being the record field it sits in (for the fields that are sets). */
export function typeOf(value: unknown, field?: string): ItfType {
  if (value === null || value === undefined) return UNKNOWN;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new ItfTypeError(`ITF has no encoding for the non-integer ${value}`);
    return { t: 'Int' };
  }
  if (typeof value === 'string') return { t: 'Str' };
  if (typeof value === 'boolean') return { t: 'Bool' };
  if (Array.isArray(value)) {
    const of = value.reduce<ItfType>((acc, v) => join(acc, typeOf(v)), UNKNOWN);
    if (field !== undefined && SET_FIELDS.has(field)) return { t: 'Set', of };
    if (value.length === 0) return { t: 'empty' };
    // A table with empty slots, or of records, is indexed by frame number: a map from index.
    const sparse = value.some((v) => v === null || isRecord(v));
    return { t: sparse ? 'Map' : 'Seq', of };
  }
  if (isRecord(value)) {
    if (Object.keys(value).length === 0) return { t: 'empty' };
    if (isIndexKeyed(value)) return { t: 'Map', of: Object.entries(value).reduce<ItfType>((acc, [k, v]) => join(acc, typeOf(v, k)), UNKNOWN) };
    const fields: Record<string, ItfType> = {};
    const optional = new Set<string>();
    for (const [k, v] of Object.entries(value)) {
      fields[k] = typeOf(v, k);
      if (v === null || v === undefined) optional.add(k);
    }
    return { t: 'Rec', fields, optional };
  }
  throw new ItfTypeError(`ITF has no encoding for ${String(value)}`);
}

/** The least type holding both: unknown and empty give way, sparse beats dense, record fields unite. */
export function join(a: ItfType, b: ItfType): ItfType {
  if (a.t === 'unknown') return b;
  if (b.t === 'unknown') return a;
    if (a.t === 'empty') return b;
  if (b.t === 'empty') return a;
  if (a.t === 'Rec' && b.t === 'Rec') {
    const fields: Record<string, ItfType> = {};
    const optional = new Set([...a.optional, ...b.optional]);
    for (const k of new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])) {
      const fa = a.fields[k];
      const fb = b.fields[k];
      if (fa === undefined || fb === undefined) optional.add(k);
      fields[k] = join(fa ?? UNKNOWN, fb ?? UNKNOWN);
    }
    return { t: 'Rec', fields, optional };
  }
  if ((a.t === 'Seq' || a.t === 'Map') && (b.t === 'Seq' || b.t === 'Map')) return { t: a.t === 'Map' || b.t === 'Map' ? 'Map' : 'Seq', of: join(a.of, b.of) };
  if (a.t === 'Set' && b.t === 'Set') return { t: 'Set', of: join(a.of, b.of) };
  if (a.t === b.t) return a;
  throw new ItfTypeError(`a value is ${typeText(a)} in one state and ${typeText(b)} in another`);
}

/**
 * The type of a collection no state ever filled: a map from index, as the model's tables are arrays
 * (or records) indexed by number — so an always-empty table is written as the same `#map` a trace that
 * fills it has. Its element type is the type variable `a`: the trace does not show it.
 */
function settled(type: ItfType): ItfType {
  if (type.t === 'empty') return { t: 'Map', of: UNKNOWN };
  return type;
}

/** The type in Apalache's syntax: `Int`, `Seq(Str)`, `Int -> { gen: Int }`, `None(UNIT) | Some(Int)`; `a` for a type no state shows. */
export function typeText(type: ItfType): string {
  const t = settled(type);
  switch (t.t) {
    case 'Int':
    case 'Str':
    case 'Bool':
      return t.t;
    case 'unknown':
      return 'a';
    case 'Seq':
    case 'Set':
      return `${t.t}(${typeText(t.of)})`;
    case 'Map':
      return `Int -> ${wrapped(t.of)}`;
    case 'Rec': {
      const fields = Object.keys(t.fields)
        .sort()
        .map((k) => `${k}: ${t.optional.has(k) ? optionText(t.fields[k]) : typeText(t.fields[k])}`);
      return `{ ${fields.join(', ')} }`;
    }
    default:
      return 'a';
  }
}

/** Types that are operators (functions, variants) need parentheses inside another type. */
function wrapped(type: ItfType): string {
  const text = typeText(type);
  return settled(type).t === 'Map' ? `(${text})` : text;
}

/** `None(UNIT) | Some(T)`, Quint's Option, in parentheses so it nests. */
export function optionText(of: ItfType): string {
  return `(None(UNIT) | Some(${typeText(of)}))`;
}

/** `None` as Quint writes it. */
export const NONE = { tag: 'None', value: UNIT };

/** `Some(v)`. */
export function some(v: unknown): { tag: 'Some'; value: unknown } {
  return { tag: 'Some', value: v };
}

/** Encode `value` as its joined type says: every record field present, Options for optional ones, maps for tables. */
export function encodeTyped(value: unknown, type: ItfType): unknown {
  const t = settled(type);
  switch (t.t) {
    case 'Int':
      return bigint(value as number);
    case 'Str':
    case 'Bool':
      return value;
    case 'Set':
      return { '#set': [...(value as unknown[])].sort((x, y) => (x as number) - (y as number)).map((v) => encodeTyped(v, t.of)) };
    case 'Seq':
      return (value as unknown[]).map((v) => encodeTyped(v, t.of));
    case 'Map': {
      const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value as object).map(([k, v]) => [Number(k), v] as const);
      return { '#map': entries.filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [bigint(k), encodeTyped(v, t.of)]) };
    }
    case 'Rec': {
      const rec = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(t.fields)) {
        const v = rec[k];
        if (t.optional.has(k)) out[k] = v === null || v === undefined ? NONE : some(encodeTyped(v, t.fields[k]));
        else out[k] = encodeTyped(v, t.fields[k]);
      }
      return out;
    }
    default:
      // Only a value no state ever filled has no type; nothing of it is left to write.
      return UNIT;
  }
}
