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
import { bigint, decodeItf, encodeItf, ItfDecodeError } from './itfValue.ts';
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

const UNIT = { '#tup': [] };

function resultVariant(r: OpResult | undefined): unknown {
  if (r === undefined) return { tag: 'None', value: UNIT };
  if (!r.ok) return { tag: 'Err', value: r.err };
  return { tag: 'Ok', value: r.value === undefined ? UNIT : bigint(r.value) };
}

/**
 * The ITF trace of `entry`, given the model states a replay passed through: the initial state, then
 * the state after each step (so `states.length === entry.trace.length + 1`).
 */
export function entryToItf(entry: CorpusEntry, states: readonly State[], source?: string): ItfTrace {
  if (states.length !== entry.trace.length + 1) throw new Error(`ITF export needs ${entry.trace.length + 1} states, got ${states.length}`);
  const { trace: _trace, ...meta } = entry;
  const verdict = entry.expect.verdict === 'violated' ? `violated at step ${entry.expect.step + 1}` : 'holds (recorded as fixed)';
  const stateVars = Object.keys(states[0]);
  const itfStates = states.map((s, i) => {
    const step: Step | undefined = i === 0 ? undefined : entry.trace[i - 1];
    const picks: Record<string, unknown> = {};
    if (step) for (const [k, v] of Object.entries(step.action)) if (k !== 'op') picks[k] = { tag: 'Some', value: encodeItf(v) };
    return {
      '#meta': { index: i },
      ...(encodeItf(s) as Record<string, unknown>),
      [ACTION_TAKEN]: step ? step.action.op : 'init',
      [NONDET_PICKS]: picks,
      [RESULT_VAR]: resultVariant(step?.result),
      [WARNINGS_VAR]: step?.warnings ?? [],
    };
  });
  return {
    '#meta': {
      format: 'ITF',
      'format-description': ITF_FORMAT_DESCRIPTION,
      source: source ?? `shadowcheck ${SHADOWCHECK_VERSION}`,
      description: `${entry.design.id} · ${entry.invariant}: ${verdict}`,
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

function decodeResult(v: unknown, path: string): OpResult {
  const r = decodeItf(v, path) as { tag: string; value: unknown };
  if (r.tag === 'Err') return { ok: false, err: r.value as never };
  if (r.tag !== 'Ok') throw new ItfDecodeError(path, `a step's result must be Ok or Err, not ${r.tag}`);
  return typeof r.value === 'number' ? { ok: true, value: r.value } : { ok: true };
}

function decodePick(v: unknown, path: string): ArgValue {
  const d = decodeItf(v, path);
  // Quint writes picks as Option variants; a bare value is accepted too.
  const value = d !== null && typeof d === 'object' && 'tag' in d ? (d as { tag: string; value: unknown }).value : d;
  return value as ArgValue;
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
      for (const [k, v] of Object.entries(s[NONDET_PICKS] as Record<string, unknown>)) action[k] = decodePick(v, `${at}/${key(NONDET_PICKS)}/${key(k)}`);
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
