/**
 * Loading the proposal `audit` is given: a TypeScript (or JavaScript) module whose default export is
 * a design — usually `deriveDesign(baseline, {...})` — or a JSON knob file naming a baseline and knob
 * values. Every problem comes back as one message naming the file and the export or JSON path.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { DESIGNS, findDesign } from '../model/designs.ts';
import { deriveDesign } from '../model/core/deriveDesign.ts';
import type { Design } from '../model/core/design.ts';
import type { KnobValues } from '../model/core/op.ts';
import { problemText, schemaProblem } from '../trace/validate.ts';
import { designShapeProblem } from './designShape.ts';
import { KNOB_FILE_SCHEMA } from './knobFileSchema.ts';

/** A loaded proposal: the design and the baseline it names (if it names one). */
export type LoadedDesign = { ok: true; design: Design; baseline?: string } | { ok: false; message: string };

/** File extensions read as modules. */
const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

function fail(file: string, message: string): LoadedDesign {
  return { ok: false, message: `${file}: ${message}` };
}

/** A JSON knob file: schema, then the baseline and each knob against the registry. */
function loadKnobFile(file: string, text: string): LoadedDesign {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return fail(file, `malformed JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const p = schemaProblem(KNOB_FILE_SCHEMA, data);
  if (p !== undefined) return fail(file, problemText(p));
  const k = data as { baseline: string; id: string; title?: string; description?: string; source?: string; knobs: KnobValues };
  const baseline = findDesign(k.baseline);
  if (baseline === undefined) return fail(file, `/baseline: unknown design '${k.baseline}' (valid: ${DESIGNS.map((d) => d.id).join(', ')})`);
  if (k.id === baseline.id) return fail(file, `/id: the proposal needs its own id, not the baseline's '${k.id}'`);
  for (const [name, value] of Object.entries(k.knobs)) {
    const def = baseline.knobs[name];
    if (def === undefined) return fail(file, `/knobs/${name}: ${baseline.id} has no knob '${name}' (knobs: ${Object.keys(baseline.knobs).join(', ') || 'none'})`);
    if (!def.values.includes(value)) return fail(file, `/knobs/${name}: takes ${def.values.map(String).join(' | ')}, not ${JSON.stringify(value)}`);
  }
  const design = deriveDesign(baseline, { id: k.id, title: k.title, description: k.description, source: k.source ?? file, knobs: k.knobs });
  return { ok: true, design, baseline: baseline.id };
}

/**
 * The file's own exports. A `.ts` file in a package without `"type": "module"` is compiled to CommonJS,
 * and an ES import of CommonJS sees `module.exports` as its default export: `{ default: { default: design } }`.
 * The `__esModule` mark the compiler sets on such exports tells the two apart.
 */
function ownExports(ns: Record<string, unknown>): Record<string, unknown> {
  const d = ns.default;
  if (typeof d === 'object' && d !== null && (d as { __esModule?: unknown }).__esModule === true) return d as Record<string, unknown>;
  return ns;
}

/**
 * A design module: import it, then check its default export's shape. It is imported through tsx's
 * `tsImport` rather than `import()`, so a TypeScript file loads whether or not the user's own
 * package.json says `"type": "module"` and whether or not this process runs under tsx (an installed
 * shadowcheck runs as compiled JavaScript).
 */
async function loadModule(file: string): Promise<LoadedDesign> {
  let mod: Record<string, unknown>;
  try {
    mod = ownExports((await tsImport(pathToFileURL(resolve(file)).href, import.meta.url)) as Record<string, unknown>);
  } catch (e) {
    return fail(file, `threw while loading: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!('default' in mod) || mod.default === undefined) {
    return fail(file, `no default export (the file must \`export default\` a design, e.g. deriveDesign(baseline, {...}))`);
  }
  const problem = designShapeProblem(mod.default);
  if (problem !== undefined) return fail(file, `export ${problem}`);
  const design = mod.default as Design & { baseline?: unknown };
  return { ok: true, design, baseline: typeof design.baseline === 'string' ? design.baseline : undefined };
}

/** Load a proposal file: a module (`.ts`, `.mts`, `.js`, `.mjs`) or a JSON knob file (`.json`). */
export async function loadDesignFile(file: string): Promise<LoadedDesign> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return fail(file, `cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (file.endsWith('.json')) return loadKnobFile(file, text);
  if (MODULE_EXTENSIONS.some((x) => file.endsWith(x))) return loadModule(file);
  return fail(file, `not a design file: expected a module (${MODULE_EXTENSIONS.join(', ')}) or a JSON knob file (.json)`);
}
