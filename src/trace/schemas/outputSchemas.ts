/**
 * The versioned `--json` outputs: a `format` name per command (`shadowcheck.fuzz/1`, …) and the JSON
 * Schema (draft-07, as the corpus schema) shipped beside this file that every document of that format
 * conforms to. The number after the slash changes only when a field is removed or changes meaning;
 * new optional fields keep it.
 */
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';

const load = createRequire(import.meta.url);

/** The format name of each command's `--json` output. */
export const OUTPUT_FORMATS = {
  fuzz: 'shadowcheck.fuzz/2',
  replay: 'shadowcheck.replay/1',
  audit: 'shadowcheck.audit/3',
  list: 'shadowcheck.list/1',
  explain: 'shadowcheck.explain/1',
} as const;

/** A command that has a `--json` output. */
export type OutputCommand = keyof typeof OUTPUT_FORMATS;

/** The schema file of a command's output, relative to this directory (the shared pieces are in common.schema.json). */
export function schemaFile(command: OutputCommand): string {
  return new URL(`./${command}.schema.json`, import.meta.url).pathname;
}

/** The parsed schema of a command's output. */
export function outputSchema(command: OutputCommand): object {
  return load(`./${command}.schema.json`) as object;
}

let validators: Map<string, ValidateFunction> | undefined;

function validatorFor(format: string): ValidateFunction | undefined {
  if (validators === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    ajv.addSchema(load('./common.schema.json') as object);
    validators = new Map(Object.entries(OUTPUT_FORMATS).map(([command, f]) => [f, ajv.compile(outputSchema(command as OutputCommand))]));
  }
  return validators.get(format);
}

/**
 * Check a `--json` document against the schema its `format` names: undefined when it conforms, else
 * the first problem as "JSON-pointer: message".
 */
export function outputProblem(doc: unknown): string | undefined {
  const format = doc !== null && typeof doc === 'object' ? (doc as { format?: unknown }).format : undefined;
  const validate = typeof format === 'string' ? validatorFor(format) : undefined;
  if (validate === undefined) return `/format: not one of ${Object.values(OUTPUT_FORMATS).join(', ')}`;
  if (validate(doc)) return undefined;
  const e = validate.errors![0];
  return `${e.instancePath || '/'}: ${e.message ?? e.keyword}${e.params && 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : ''}`;
}
