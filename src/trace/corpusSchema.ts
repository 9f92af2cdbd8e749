/**
 * The JSON Schema of a corpus entry (format 1), checked with ajv when an entry is written and when it
 * is read. It pins the shape; what the names mean (a known design, op, invariant, knob value) is
 * checked against the registries when the entry is replayed.
 */
import { FALLIBLE_POINTS } from '../model/core/faults.ts';

/**
 * Bounds on every size an entry carries. The scope maxima keep a replay's world small enough to
 * build in well under a second (all at once: 64 domains, 4096 frames and GFNs take about 250 ms);
 * a trace is at most as long as `--max-actions` allows.
 */
export const ENTRY_LIMITS = {
  /** Longest trace (`--max-actions` accepts at most this). */
  traceSteps: 1000,
  /** Longest text field (reasons, warnings, witness words). */
  textLength: 10_000,
  /** Most witnesses, warnings or words per list. */
  listItems: 1000,
} as const;

/** Per scope field: [minimum, maximum]. Zero domains or frames is no world at all. */
export const SCOPE_LIMITS: Readonly<Record<string, readonly [number, number]>> = {
  domains: [1, 64],
  spareDomains: [0, 64],
  frames: [1, 4096],
  xenFrames: [0, 4096],
  gfns: [1, 4096],
  bfns: [0, 4096],
  grantRefs: [0, 1024],
  dmaSlots: [0, 1024],
  initialPages: [0, 4096],
  maxPages: [0, 4096],
  maxActions: [1, ENTRY_LIMITS.traceSteps],
};

/** An unbounded integer is never a size: the largest the model takes for anything (frames, GFNs). */
const SIZE = { type: 'integer', minimum: 0, maximum: 4096 } as const;

/** A bounded text. */
const TEXT = { type: 'string', maxLength: ENTRY_LIMITS.textLength } as const;

/** Identifiers: design, op, invariant and knob names. */
const NAME = { type: 'string', minLength: 1, maxLength: 200 } as const;

/** An action argument: plain data, as `ArgValue` allows. */
const ARG_VALUE = {
  anyOf: [{ type: 'number' }, { type: 'boolean' }, { type: 'string', maxLength: 200 }, { type: 'array', maxItems: 4096, items: { type: 'number' } }],
} as const;

/** A hypercall's answer. */
const RESULT = {
  oneOf: [
    {
      type: 'object',
      required: ['ok'],
      additionalProperties: false,
      properties: { ok: { const: true }, value: { type: 'number' } },
    },
    {
      type: 'object',
      required: ['ok', 'err'],
      additionalProperties: false,
      properties: { ok: { const: false }, err: { type: 'string', pattern: '^E[A-Z]+$' } },
    },
  ],
} as const;

/** One step: the explicit action, the answer, warnings logged. */
const STEP = {
  type: 'object',
  required: ['action', 'result'],
  additionalProperties: false,
  properties: {
    action: {
      type: 'object',
      required: ['op'],
      properties: { op: NAME },
      additionalProperties: ARG_VALUE,
    },
    result: RESULT,
    warnings: { type: 'array', maxItems: ENTRY_LIMITS.listItems, items: TEXT },
    // Optional, so entries written before fault injection still load and replay.
    fault: {
      type: 'object',
      required: ['point', 'at', 'err'],
      additionalProperties: false,
      properties: {
        point: { enum: FALLIBLE_POINTS },
        at: { type: 'integer', minimum: 1, maximum: 1000 },
        err: { type: 'string', pattern: '^E[A-Z]+$' },
      },
    },
  },
} as const;

/** The schema of a corpus entry. */
export const CORPUS_SCHEMA = {
  $id: 'https://shadowcheck.dev/schema/corpus-entry-1.json',
  title: 'shadowcheck corpus entry',
  type: 'object',
  required: ['format', 'shadowcheck', 'design', 'knobs', 'invariant', 'expect', 'scope', 'trace', 'witnesses', 'witnessText', 'hints'],
  additionalProperties: false,
  properties: {
    format: { const: 1 },
    shadowcheck: { type: 'string', minLength: 1, maxLength: 100 },
    design: {
      type: 'object',
      required: ['id', 'digest', 'ops'],
      additionalProperties: false,
      properties: {
        id: NAME,
        digest: { type: 'string', pattern: '^sha256:[0-9a-f]{16}$' },
        ops: { type: 'object', minProperties: 1, maxProperties: 1000, additionalProperties: { type: 'integer', minimum: 0, maximum: 1_000_000 } },
      },
    },
    knobs: { type: 'object', maxProperties: 1000, additionalProperties: { type: ['string', 'number', 'boolean'], maxLength: 200 } },
    invariant: NAME,
    expect: {
      oneOf: [
        {
          type: 'object',
          required: ['verdict', 'step'],
          additionalProperties: false,
          properties: { verdict: { const: 'violated' }, step: { type: 'integer', minimum: -1, maximum: ENTRY_LIMITS.traceSteps } },
        },
        {
          type: 'object',
          required: ['verdict'],
          additionalProperties: false,
          properties: { verdict: { const: 'holds' } },
        },
      ],
    },
    // Every scope field is a size; fields a newer model adds are filled from the defaults on load.
    scope: {
      type: 'object',
      properties: Object.fromEntries(Object.entries(SCOPE_LIMITS).map(([k, [minimum, maximum]]) => [k, { type: 'integer', minimum, maximum }])),
      additionalProperties: SIZE,
    },
    trace: { type: 'array', maxItems: ENTRY_LIMITS.traceSteps, items: STEP },
    witnesses: { type: 'array', maxItems: ENTRY_LIMITS.listItems, items: { type: 'object', required: ['reason'], properties: { reason: TEXT } } },
    witnessText: { type: 'array', maxItems: ENTRY_LIMITS.listItems, items: TEXT },
    hints: {
      type: 'object',
      additionalProperties: false,
      properties: {
        seed: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
        path: TEXT,
        originalLength: { type: 'integer', minimum: 0, maximum: 1_000_000 },
      },
    },
  },
} as const;
