/**
 * A corpus entry as an ITF trace (`{"#meta", vars, states}`) for existing ITF viewers, and back.
 * State 0 is the initial world; state i+1 is the world after step i, carrying the action taken in
 * Quint's model-based-testing variables (`mbt::actionTaken` = the op, `mbt::nondetPicks` = its
 * arguments as `Some` variants) and the hypercall's answer in `shadowcheck::result`. Everything else
 * a replay needs (design, digest, knobs, invariant, expected verdict, scope, witnesses) rides in
 * `#meta.shadowcheck`, so `replay` accepts an ITF file shadowcheck wrote.
 */
import type { State } from '../model/core/state.ts';
import type { Action, ArgValue, OpResult } from '../model/core/op.ts';
import type { Step } from '../runner/outcome.ts';
import type { CorpusEntry } from './corpusEntry.ts';
import { FORMAT_VERSION } from './corpusEntry.ts';
import { CORPUS_SCHEMA } from './corpusSchema.ts';
import { bigint, decodeItf, ItfDecodeError } from './itfValue.ts';
import type { ItfType } from './itfType.ts';
import { encodeTyped, join, NONE, optionText, some, typeOf, typeText } from './itfType.ts';
import { schemaProblem } from './validate.ts';
import { SHADOWCHECK_VERSION } from './version.ts';

/** Where the format is described. */
export const ITF_FORMAT_DESCRIPTION = 'https://apalache-mc.org/docs/adr/015adr-trace.html';
/** Quint's variable for the action that led to a state. */
export const ACTION_TAKEN = 'mbt::actionTaken';
/** Quint's variable for the nondeterministic choices (our resolved arguments). */
export const NONDET_PICKS = 'mbt::nondetPicks';
/** The hypercall's answer: `Ok(value)`, `Err(code)`, or `None` for the initial state. */
export const RESULT_VAR = 'shadowcheck::result';
/** Warnings the step logged. */
export const WARNINGS_VAR = 'shadowcheck::warnings';

/** An ITF document. */
export interface ItfTrace {
  '#meta': Record<string, unknown>;
  vars: string[];
  states: Record<string, unknown>[];
}

/** The answer's type: `Ok` carries an Option (a value or none), so every step's answer has one shape. */
export const RESULT_TYPE = 'Err(Str) | None(UNIT) | Ok(None(UNIT) | Some(Int))';
/** The warnings' type. */
export const WARNINGS_TYPE = 'Seq(Str)';

function resultVariant(r: OpResult | undefined): unknown {
  if (r === undefined) return NONE;
  if (!r.ok) return { tag: 'Err', value: r.err };
  return { tag: 'Ok', value: r.value === undefined ? NONE : some(bigint(r.value)) };
}

/** The picks' type: a record of every argument any step takes, each an Option (Quint's convention), so all states agree. */
function picksType(trace: readonly Step[]): Extract<ItfType, { t: 'Rec' }> {
  const fields: Record<string, ItfType> = {};
  for (const step of trace) {
    for (const [k, v] of Object.entries(step.action)) if (k !== 'op') fields[k] = join(fields[k] ?? { t: 'unknown' }, typeOf(v));
  }
  return { t: 'Rec', fields, optional: new Set(Object.keys(fields)) };
}

/** The joined type of the model states: one record type, with a field per state variable. */
export function stateType(states: readonly State[]): ItfType {
  return states.reduce<ItfType>((acc, s) => join(acc, typeOf(s)), { t: 'unknown' });
}

/** The model states encoded against their joined type (what an export records, and what a replay is compared with). */
export function encodeStates(states: readonly State[]): Record<string, unknown>[] {
  const type = stateType(states);
  return states.map((s) => encodeTyped(s, type) as Record<string, unknown>);
}

/**
 * The ITF trace of `entry`, given the model states a replay passed through: the initial state, then
 * the state after each step (so `states.length === entry.trace.length + 1`). Every variable has one
 * type in every state, given in `#meta.varTypes`.
 */
export function entryToItf(entry: CorpusEntry, states: readonly State[], source?: string): ItfTrace {
  if (states.length !== entry.trace.length + 1) throw new Error(`ITF export needs ${entry.trace.length + 1} states, got ${states.length}`);
  const { trace: _trace, ...meta } = entry;
  const verdict = entry.expect.verdict === 'violated' ? `violated at step ${entry.expect.step + 1}` : 'holds (recorded as fixed)';
  const sType = stateType(states);
  if (sType.t !== 'Rec') throw new Error('ITF export needs model states that are records');
  const stateVars = Object.keys(sType.fields);
  const pType = picksType(entry.trace);
  const itfStates = states.map((s, i) => {
    const step: Step | undefined = i === 0 ? undefined : entry.trace[i - 1];
    const picks: Record<string, unknown> = step ? { ...step.action } : {};
    delete picks.op;
    return {
      '#meta': { index: i },
      ...(encodeTyped(s, sType) as Record<string, unknown>),
      [ACTION_TAKEN]: step ? step.action.op : 'init',
      [NONDET_PICKS]: encodeTyped(picks, pType),
      [RESULT_VAR]: resultVariant(step?.result),
      [WARNINGS_VAR]: step?.warnings ?? [],
    };
  });
  const varTypes: Record<string, string> = {};
  for (const v of stateVars) varTypes[v] = sType.optional.has(v) ? optionText(sType.fields[v]) : typeText(sType.fields[v]);
  varTypes[ACTION_TAKEN] = 'Str';
  varTypes[NONDET_PICKS] = typeText(pType);
  varTypes[RESULT_VAR] = RESULT_TYPE;
  varTypes[WARNINGS_VAR] = WARNINGS_TYPE;
  return {
    '#meta': {
      format: 'ITF',
      'format-description': ITF_FORMAT_DESCRIPTION,
      source: source ?? `shadowcheck ${SHADOWCHECK_VERSION}`,
      description: `${entry.design.id} · ${entry.invariant}: ${verdict}`,
      varTypes,
      shadowcheck: meta,
    },
    vars: [...stateVars, ACTION_TAKEN, NONDET_PICKS, RESULT_VAR, WARNINGS_VAR],
    states: itfStates,
  };
}

/** Whether parsed JSON looks like an ITF document rather than a corpus entry. */
export function isItf(data: unknown): boolean {
  return data !== null && typeof data === 'object' && '#meta' in data && 'states' in data;
}

/** The shape of an ITF document shadowcheck wrote: just what import reads. */
const ITF_SCHEMA = {
  type: 'object',
  required: ['#meta', 'vars', 'states'],
  properties: {
    '#meta': { type: 'object', required: ['shadowcheck'], properties: { shadowcheck: { type: 'object' } } },
    vars: { type: 'array', items: { type: 'string' } },
    states: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['#meta', ACTION_TAKEN, NONDET_PICKS, RESULT_VAR],
        properties: {
          '#meta': { type: 'object', required: ['index'], properties: { index: { type: 'integer' } } },
          [ACTION_TAKEN]: { type: 'string' },
          [NONDET_PICKS]: { type: 'object' },
          [RESULT_VAR]: { type: 'object', required: ['tag'], properties: { tag: { enum: ['Ok', 'Err', 'None'] } } },
          [WARNINGS_VAR]: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
} as const;

/** JSON Pointer escaping of one key (`mbt::nondetPicks` is fine; `/` and `~` are not). */
function key(k: string): string {
  return k.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isVariant(d: unknown): d is { tag: string; value: unknown } {
  return d !== null && typeof d === 'object' && !Array.isArray(d) && 'tag' in d;
}

function decodeResult(v: unknown, path: string): OpResult {
  const r = decodeItf(v, path) as { tag: string; value: unknown };
  if (r.tag === 'Err') return { ok: false, err: r.value as never };
  if (r.tag !== 'Ok') throw new ItfDecodeError(path, `a step's result must be Ok or Err, not ${r.tag}`);
  // Typed exports carry Ok(Some(n)) or Ok(None); older ones Ok(n) or Ok(<<>>).
  const value = isVariant(r.value) ? (r.value.tag === 'Some' ? r.value.value : undefined) : r.value;
  return typeof value === 'number' ? { ok: true, value } : { ok: true };
}

/** A pick's argument value; undefined for `None` (the step's op does not take that argument). */
function decodePick(v: unknown, path: string): ArgValue | undefined {
  const d = decodeItf(v, path);
  // Quint writes picks as Option variants; a bare value is accepted too.
  if (!isVariant(d)) return d as ArgValue;
  return d.tag === 'None' ? undefined : (d.value as ArgValue);
}

/** What reading an ITF document gives: the entry it carries, the states it recorded, or why not. */
export type ItfImport =
  | { ok: true; entry: CorpusEntry; states: Record<string, unknown>[] }
  | { ok: false; olderFormat?: number; path: string; message: string };

/**
 * Read an entry back from an ITF document shadowcheck wrote: the metadata from `#meta.shadowcheck`,
 * the actions and answers from the states. Problems come back with the JSON path in the ITF document.
 */
export function itfToEntry(doc: unknown): ItfImport {
  const shape = schemaProblem(ITF_SCHEMA, doc);
  if (shape !== undefined) return { ok: false, path: shape.path, message: `${shape.message} (not an ITF trace written by shadowcheck)` };
  const itf = doc as ItfTrace;
  const meta = itf['#meta'].shadowcheck as Record<string, unknown>;
  if (typeof meta.format === 'number' && meta.format < FORMAT_VERSION) return { ok: false, olderFormat: meta.format, path: '/#meta/shadowcheck/format', message: 'older format' };
  try {
    const trace: Step[] = itf.states.slice(1).map((s, i) => {
      const at = `/states/${i + 1}`;
      const action: Action = { op: s[ACTION_TAKEN] as string };
      for (const [k, v] of Object.entries(s[NONDET_PICKS] as Record<string, unknown>)) {
        const value = decodePick(v, `${at}/${key(NONDET_PICKS)}/${key(k)}`);
        if (value !== undefined) action[k] = value;
      }
      const step: Step = { action, result: decodeResult(s[RESULT_VAR], `${at}/${key(RESULT_VAR)}`) };
      const warnings = s[WARNINGS_VAR] as string[] | undefined;
      if (warnings !== undefined && warnings.length > 0) step.warnings = warnings;
      return step;
    });
    const entry = { ...meta, trace } as unknown as CorpusEntry;
    const p = schemaProblem(CORPUS_SCHEMA, entry);
    if (p !== undefined) {
      const m = /^\/trace\/(\d+)(.*)$/.exec(p.path);
      const path = m ? `/states/${Number(m[1]) + 1}` : `/#meta/shadowcheck${p.path}`;
      return { ok: false, path, message: m ? `${p.message} (at ${p.path} of the trace it carries)` : p.message };
    }
    return { ok: true, entry, states: itf.states };
  } catch (e) {
    if (e instanceof ItfDecodeError) return { ok: false, path: e.path, message: e.message };
    throw e;
  }
}
