/**
 * Schema validation with ajv: one compiled validator per schema, and errors turned into one line that
 * names the JSON path (a JSON Pointer such as `/trace/2/action/op`) and what is wrong there.
 */
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const compiled = new Map<object, ValidateFunction>();

/** A schema violation: where in the document, and what is wrong there. */
export interface SchemaProblem {
  /** JSON Pointer of the offending value; '' is the document itself (shown as '/'). */
  path: string;
  message: string;
}

/** The most specific of ajv's errors: the deepest path, and not a oneOf/anyOf summary when a branch says more. */
function mostSpecific(errors: readonly ErrorObject[]): ErrorObject {
  const summaries = new Set(['oneOf', 'anyOf', 'if']);
  let best = errors[0];
  for (const e of errors) {
    const deeper = e.instancePath.length > best.instancePath.length;
    const sameDepthButConcrete = e.instancePath.length === best.instancePath.length && summaries.has(best.keyword) && !summaries.has(e.keyword);
    if (deeper || sameDepthButConcrete) best = e;
  }
  return best;
}

/** ajv's words, with the detail ajv keeps in `params` (the property that is missing or extra, the allowed value). */
function words(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `unexpected property '${String(p.additionalProperty)}'`;
  if (e.keyword === 'const') return `must be ${JSON.stringify(p.allowedValue)}`;
  return e.message ?? e.keyword;
}

/** Validate `data` against `schema`; undefined when it conforms. */
export function schemaProblem(schema: object, data: unknown): SchemaProblem | undefined {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(data)) return undefined;
  const e = mostSpecific(validate.errors ?? []);
  return { path: e.instancePath, message: words(e) };
}

/** "/trace/2/action: must have required property 'op'". */
export function problemText(p: SchemaProblem): string {
  return `${p.path === '' ? '/' : p.path}: ${p.message}`;
}
