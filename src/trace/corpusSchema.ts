/**
 * The JSON Schema of a corpus entry (format 1), checked with ajv when an entry is written and when it
 * is read. It pins the shape; what the names mean (a known design, op, invariant, knob value) is
 * checked against the registries when the entry is replayed.
 */

/** Identifiers: design, op, invariant and knob names. */
const NAME = { type: 'string', minLength: 1, maxLength: 200 } as const;

/** An action argument: plain data, as `ArgValue` allows. */
const ARG_VALUE = {
  anyOf: [{ type: 'number' }, { type: 'boolean' }, { type: 'string' }, { type: 'array', items: { type: 'number' } }],
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
    warnings: { type: 'array', items: { type: 'string' } },
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
    shadowcheck: { type: 'string', minLength: 1 },
    design: {
      type: 'object',
      required: ['id', 'digest', 'ops'],
      additionalProperties: false,
      properties: {
        id: NAME,
        digest: { type: 'string', pattern: '^sha256:[0-9a-f]{16}$' },
        ops: { type: 'object', minProperties: 1, additionalProperties: { type: 'integer', minimum: 0 } },
      },
    },
    knobs: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
    invariant: NAME,
    expect: {
      oneOf: [
        {
          type: 'object',
          required: ['verdict', 'step'],
          additionalProperties: false,
          properties: { verdict: { const: 'violated' }, step: { type: 'integer', minimum: -1 } },
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
    scope: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
    trace: { type: 'array', items: STEP },
    witnesses: { type: 'array', items: { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } } },
    witnessText: { type: 'array', items: { type: 'string' } },
    hints: {
      type: 'object',
      additionalProperties: false,
      properties: {
        seed: { type: 'integer' },
        path: { type: 'string' },
        originalLength: { type: 'integer', minimum: 0 },
      },
    },
  },
} as const;
