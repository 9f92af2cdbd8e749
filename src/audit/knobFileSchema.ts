/**
 * The JSON Schema of a knob file: a proposal that changes only knob values of a named baseline,
 * e.g. `{ "baseline": "xen-map-for-dma", "id": "map-any-domain", "knobs": { "checkTarget": false } }`.
 */
export const KNOB_FILE_SCHEMA = {
  $id: 'https://shadowcheck.dev/schema/knob-file-1.json',
  title: 'shadowcheck knob file',
  type: 'object',
  required: ['baseline', 'id', 'knobs'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    baseline: { type: 'string', minLength: 1 },
    id: { type: 'string', minLength: 1, pattern: '^[a-z0-9][a-z0-9.+-]*$' },
    title: { type: 'string' },
    description: { type: 'string' },
    source: { type: 'string' },
    knobs: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
  },
} as const;
