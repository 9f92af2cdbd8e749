/**
 * Checking that a design file's default export really is a design: the fields a campaign calls,
 * with the right types, invariant ids that exist, and a world that builds. Each problem names the
 * export path (`default.ops[3].apply`), so the user knows which line to look at.
 */
import { findInvariant } from '../../invariants/registry.ts';
import type { Design } from '../model/core/design.ts';
import { knobDefaults } from '../model/core/design.ts';
import { DEFAULT_SCOPE } from '../model/core/scope.ts';
import { knownRules } from '../model/core/ruleSet.ts';

const OP_FUNCTIONS = ['resolve', 'enabled', 'apply'] as const;
const ACTORS = ['guest', 'backend', 'toolstack', 'device', 'gpu', 'hypervisor'];
const ARG_KINDS = ['dom', 'pick', 'bool', 'int', 'oneOf'];

/** What is wrong with one generated argument's spec, or undefined. */
function argSpecProblem(spec: unknown, at: string): string | undefined {
  if (!isObject(spec) || typeof spec.kind !== 'string' || !ARG_KINDS.includes(spec.kind)) return `${at}: must be an argument spec { kind: ${ARG_KINDS.join(' | ')} }`;
  if (spec.kind === 'int' && typeof spec.max !== 'function') return `${at}.max: must be a function of the scope`;
  if (spec.kind === 'oneOf' && (!Array.isArray(spec.values) || spec.values.length === 0)) return `${at}.values: must be a non-empty array`;
  return undefined;
}

/** What is wrong with an op's optional fields (generation weight, revision, actor, doc), or undefined. */
function opFieldProblem(op: Record<string, unknown>, at: string): string | undefined {
  // fast-check needs whole, non-negative weights; a fractional one would pass here and throw mid-campaign.
  if (op.weight !== undefined && (typeof op.weight !== 'number' || !Number.isInteger(op.weight) || op.weight < 0)) return `${at}.weight: must be a non-negative integer (relative frequency), got ${JSON.stringify(op.weight)}`;
  if (op.rev !== undefined && (typeof op.rev !== 'number' || !Number.isInteger(op.rev))) return `${at}.rev: must be an integer, got ${JSON.stringify(op.rev)}`;
  if (typeof op.actor !== 'string' || !ACTORS.includes(op.actor)) return `${at}.actor: must be one of ${ACTORS.join(', ')}, got ${JSON.stringify(op.actor)}`;
  if (typeof op.doc !== 'string') return `${at}.doc: must be a string`;
  for (const [name, spec] of Object.entries(isObject(op.gen) ? op.gen : {})) {
    const p = argSpecProblem(spec, `${at}.gen.${name}`);
    if (p !== undefined) return p;
  }
  return undefined;
}
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
    const p = opFieldProblem(op, `${at}.ops[${i}]`);
    if (p !== undefined) return p;
  }
  if (x.ops.every((op) => (op as { weight?: number }).weight === 0)) return `${at}.ops: every op has weight 0, so nothing would be generated`;
  if (x.rules !== undefined) {
    if (!isObject(x.rules)) return `${at}.rules: must be an object of rule overrides (overrideRules(...))`;
    for (const [name, f] of Object.entries(x.rules)) {
      if (!knownRules().has(name)) return `${at}.rules.${name}: no such rule (rules: ${[...knownRules().keys()].join(', ')})`;
      if (typeof f !== 'function') return `${at}.rules.${name}: must be a function`;
    }
  }
  if (x.variants !== undefined && (!Array.isArray(x.variants) || !x.variants.every(isObject))) return `${at}.variants: must be an array of knob settings`;
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
