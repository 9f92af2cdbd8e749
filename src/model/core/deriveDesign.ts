/**
 * Deriving a design from a named baseline: the way a user writes a proposed interface change for
 * `shadowcheck audit`. Override the semantics of some operations (replace an op by name, add one,
 * or remove one with `null`), change knob defaults, and — when the proposal assumes a different
 * platform — the world it runs in; or override one of its slices' named rules (`rules`, ruleSet.ts),
 * which every op using the rule follows. Everything not overridden is the baseline's.
 *
 * ```ts
 * export default deriveDesign(xenMapForDma, {
 *   id: 'translate-gpfn-2014',
 *   ops: { shadowSet: makeShadowSet(translateGpfn), shadowClear: makeShadowClear(translateGpfn) },
 *   buildWorld: (scope) => buildWorld(scope, { backendKind: 'pv-dom0', clients: [...DEFAULT_CLIENTS] }),
 * });
 * ```
 */
import type { Scope } from './scope.ts';
import type { State } from './state.ts';
import type { KnobValues, OpDef } from './op.ts';
import type { Design, KnobDef } from './design.ts';
import type { RuleOverrides } from './ruleSet.ts';
import { knownRules } from './ruleSet.ts';

/** A design derived from a baseline, which `audit` compares it against unless told otherwise. */
export interface DerivedDesign extends Design {
  /** The id of the design this one was derived from. */
  baseline: string;
}

/** What a derived design changes. */
export interface DesignChange {
  /** The new design's id (must differ from the baseline's). */
  id: string;
  title?: string;
  description?: string;
  /** Where the proposal comes from (a mail, a patch series). */
  source?: string;
  /** Ops by name: an OpDef replaces the baseline's op of that name or is added; `null` removes it. */
  ops?: Record<string, OpDef | null>;
  /** New default values for the baseline's knobs. */
  knobs?: KnobValues;
  /** Rules replaced by qualified name (`overrideRules(CORE_RULES, { endAccessAllowed: … })`), on top of the baseline's. */
  rules?: RuleOverrides;
  /** The world the proposal runs in, when it assumes a different platform than the baseline's. */
  buildWorld?: (scope: Scope, knobs: KnobValues) => State;
  /** Expected verdicts; by default the baseline's. */
  expect?: Design['expect'];
  /** Invariant ids to check; by default the baseline's. */
  invariants?: readonly string[];
}

/** New knob definitions: the baseline's, with changed defaults. Throws on an unknown knob or value. */
function knobsWith(baseline: Design, defaults: KnobValues): Record<string, KnobDef> {
  const out: Record<string, KnobDef> = { ...baseline.knobs };
  for (const [name, value] of Object.entries(defaults)) {
    const def = baseline.knobs[name];
    if (def === undefined) throw new Error(`deriveDesign: ${baseline.id} has no knob '${name}' (knobs: ${Object.keys(baseline.knobs).join(', ') || 'none'})`);
    if (!def.values.includes(value)) throw new Error(`deriveDesign: knob ${name} takes ${def.values.map(String).join(' | ')}, not ${JSON.stringify(value)}`);
    out[name] = { ...def, default: value };
  }
  return out;
}

/** The baseline's ops with the overrides applied, in the baseline's order, added ops last. */
function opsWith(baseline: Design, overrides: Record<string, OpDef | null>): OpDef[] {
  for (const [name, op] of Object.entries(overrides)) {
    if (op !== null && op.name !== name) throw new Error(`deriveDesign: ops.${name} is an op named '${op.name}'; the key and the op's name must agree`);
    if (op === null && !baseline.ops.some((o) => o.name === name)) throw new Error(`deriveDesign: cannot remove op '${name}': ${baseline.id} has no such op`);
  }
  const out: OpDef[] = [];
  for (const op of baseline.ops) {
    const o = op.name in overrides ? overrides[op.name] : op;
    if (o !== null) out.push(o);
  }
  for (const [name, op] of Object.entries(overrides)) if (op !== null && !baseline.ops.some((o) => o.name === name)) out.push(op);
  return out;
}

/** The baseline's rule overrides with the change's on top. Throws on a rule no slice defines. */
function rulesWith(baseline: Design, overrides: RuleOverrides): RuleOverrides | undefined {
  for (const [name, f] of Object.entries(overrides)) {
    if (!knownRules().has(name)) throw new Error(`deriveDesign: no rule '${name}' (rules: ${[...knownRules().keys()].join(', ')})`);
    if (typeof f !== 'function') throw new Error(`deriveDesign: rules.${name} must be a function`);
  }
  const merged = { ...(baseline.rules ?? {}), ...overrides };
  return Object.keys(merged).length > 0 ? merged : undefined;
}

/** Derive a design from `baseline` with `change` applied. Throws (at import of the design file) on a bad change. */
export function deriveDesign(baseline: Design, change: DesignChange): DerivedDesign {
  if (change.id === baseline.id) throw new Error(`deriveDesign: the derived design needs its own id, not the baseline's '${baseline.id}'`);
  const knobs = knobsWith(baseline, change.knobs ?? {});
  const changed = [
    ...Object.keys(change.ops ?? {}).map((n) => `op ${n}`),
    ...Object.entries(change.knobs ?? {}).map(([k, v]) => `${k}=${String(v)}`),
    ...(change.buildWorld ? ['world'] : []),
    ...Object.keys(change.rules ?? {}).map((n) => `rule ${n}`),
  ];
  const rules = rulesWith(baseline, change.rules ?? {});
  return {
    id: change.id,
    baseline: baseline.id,
    title: change.title ?? `${baseline.title} — with ${changed.join(', ') || 'no change'}`,
    description: change.description ?? baseline.description,
    source: change.source ?? `derived from ${baseline.id}`,
    knobs,
    ops: opsWith(baseline, change.ops ?? {}),
    teardown: baseline.teardown,
    invariants: change.invariants ?? baseline.invariants,
    expect: change.expect ?? baseline.expect,
    variants: baseline.variants,
    buildWorld: change.buildWorld ?? baseline.buildWorld,
    ...(rules !== undefined ? { rules } : {}),
  };
}
