/**
 * Checking that a design file's default export really is a design: the fields a campaign calls,
 * with the right types, invariant ids that exist, and a world that builds. Each problem names the
 * export path (`default.ops[3].apply`), so the user knows which line to look at.
 */
import { findInvariant } from '../../invariants/registry.ts';
import type { Design } from '../model/core/design.ts';
import { knobDefaults } from '../model/core/design.ts';
import { DEFAULT_SCOPE } from '../model/core/scope.ts';

const OP_FUNCTIONS = ['resolve', 'enabled', 'apply'] as const;
const DESIGN_FUNCTIONS = ['expect', 'buildWorld'] as const;

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** What is wrong with `x` as a design, as "path: problem"; undefined when it is one. */
export function designShapeProblem(x: unknown, at = 'default'): string | undefined {
  if (!isObject(x)) return `${at}: must be a design object (export default deriveDesign(...)), got ${x === null ? 'null' : typeof x}`;
  if (typeof x.id !== 'string' || x.id === '') return `${at}.id: must be a non-empty string`;
  for (const f of ['title', 'description', 'source'] as const) if (typeof x[f] !== 'string') return `${at}.${f}: must be a string`;
  if (!isObject(x.knobs)) return `${at}.knobs: must be an object of knob definitions`;
  for (const [name, k] of Object.entries(x.knobs)) {
    if (!isObject(k) || !Array.isArray(k.values) || !k.values.includes(k.default)) return `${at}.knobs.${name}: must have values[] including its default`;
  }
  if (!Array.isArray(x.ops) || x.ops.length === 0) return `${at}.ops: must be a non-empty array of operations`;
  const names = new Set<string>();
  for (let i = 0; i < x.ops.length; i++) {
    const op: unknown = x.ops[i];
    if (!isObject(op) || typeof op.name !== 'string') return `${at}.ops[${i}]: must be an operation with a name`;
    if (names.has(op.name)) return `${at}.ops[${i}]: a second op named '${op.name}'`;
    names.add(op.name);
    if (!isObject(op.gen)) return `${at}.ops[${i}].gen: must be an object of argument specs`;
    for (const f of OP_FUNCTIONS) if (typeof op[f] !== 'function') return `${at}.ops[${i}].${f}: must be a function`;
  }
  if (!Array.isArray(x.invariants)) return `${at}.invariants: must be an array of invariant ids`;
  for (let i = 0; i < x.invariants.length; i++) {
    if (findInvariant(x.invariants[i] as string) === undefined) return `${at}.invariants[${i}]: unknown invariant '${String(x.invariants[i])}'`;
  }
  for (const f of DESIGN_FUNCTIONS) if (typeof x[f] !== 'function') return `${at}.${f}: must be a function`;
  const design = x as unknown as Design;
  try {
    const world: unknown = design.buildWorld(DEFAULT_SCOPE, knobDefaults(design));
    if (!isObject(world) || !Array.isArray(world.frames) || !Array.isArray(world.domains)) return `${at}.buildWorld: must return a model State (frames, domains, …)`;
  } catch (e) {
    return `${at}.buildWorld: threw ${e instanceof Error ? e.message : String(e)}`;
  }
  return undefined;
}
