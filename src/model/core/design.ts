/**
 * A design: one variant of the hypervisor interface — the semantics of each operation, its policy
 * knobs, the world it runs in, and which invariants it is expected to break (so known-bad designs are
 * regression tests of the harness itself).
 */
import type { Scope } from './scope.ts';
import type { State } from './state.ts';
import type { KnobValues, OpDef } from './op.ts';
import type { RuleOverrides } from './ruleSet.ts';
import type { Teardown } from './teardown.ts';

/** A knob's value type. */
export type KnobValue = string | number | boolean;

/** One policy knob of a design. `V` is the type of its values, inferred from a knob set written `as const`. */
export interface KnobDef<V extends KnobValue = KnobValue> {
  description: string;
  values: readonly V[];
  default: V;
}

/** A set of knobs by name, as a slice or a design declares them (TLA+'s CONSTANTS). */
export type KnobDefs = { readonly [name: string]: KnobDef };

/**
 * The typed configuration a knob set gives (TLA+'s .cfg): every knob with one of its own values, e.g.
 * `{ readonly checkTarget: boolean }` — what ops and expectations read instead of strings by name.
 */
export type KnobConfig<K extends KnobDefs> = { readonly [N in keyof K]: K[N]['values'][number] };

const configs = new WeakMap<KnobValues, Map<KnobDefs, unknown>>();

/** A reader of one knob set's configuration, for a slice to export: `export const coreConfig = knobReader(CORE_KNOBS)`. */
export function knobReader<K extends KnobDefs>(defs: K): (values: KnobValues) => KnobConfig<K> {
  return (values) => configOf(defs, values);
}

/**
 * The configuration of knob set `defs` under knob values `values` (a run's, possibly partial): each
 * knob's value when it is one of its values, its default otherwise. Built once per values object,
 * since ops read it at every step.
 */
export function configOf<K extends KnobDefs>(defs: K, values: KnobValues): KnobConfig<K> {
  let byDefs = configs.get(values);
  if (byDefs === undefined) configs.set(values, (byDefs = new Map()));
  const known = byDefs.get(defs) as KnobConfig<K> | undefined;
  if (known !== undefined) return known;
  const out: Record<string, KnobValue> = {};
  for (const [name, def] of Object.entries(defs)) {
    const v = values[name];
    out[name] = v !== undefined && def.values.includes(v) ? v : def.default;
  }
  const config = Object.freeze(out) as KnobConfig<K>;
  byDefs.set(defs, config);
  return config;
}

/** What a design is expected to do for one invariant, and why (shown in reports). */
export interface Expectation {
  verdict: 'holds' | 'violated';
  why: string;
}

/** A named interface variant. */
export interface Design {
  id: string;
  title: string;
  description: string;
  /** The seed thread and mail it comes from. */
  source: string;
  knobs: Record<string, KnobDef>;
  ops: readonly OpDef[];
  /**
   * What its slices do, in order, when a domain is destroyed, a page ballooned out, a GFN filled or a
   * frame allocated — the steps its core ops were built with (`coreOpsWith`). None when omitted.
   */
  teardown?: Teardown;
  /** Ids of the invariants that apply to this design. */
  invariants: readonly string[];
  /** Expected verdicts for the given knob values; an invariant not named is expected to hold. */
  expect(knobs: KnobValues): Record<string, Expectation>;
  /**
   * Notable knob settings besides the defaults (e.g. `{ checkTarget: false }`): the default campaign,
   * the property suites and the benchmark run each, so expectations that follow knobs stay checked.
   */
  variants?: readonly KnobValues[];
  /**
   * The risky situations (ids of the counters ops note with `ctx.note`) that a sound verdict must
   * have reached under these knobs: a campaign or check in which every invariant holds but one of
   * them was never reached gets the verdict `vacuous`, not `holds`. None when omitted.
   */
  sometimes?(knobs: KnobValues): readonly string[];
  /** The initial state for a scope and knob values. */
  buildWorld(scope: Scope, knobs: KnobValues): State;
  /** Overrides of its slices' named rules (ruleSet.ts), by qualified name; none: the slices' defaults. */
  rules?: RuleOverrides;
}

/** Knob values with defaults filled in. */
export function knobDefaults(design: Design): KnobValues {
  const out: KnobValues = {};
  for (const [name, k] of Object.entries(design.knobs)) out[name] = k.default;
  return out;
}

/** The expectation for one invariant under given knobs. */
export function expectationFor(design: Design, knobs: KnobValues, invariant: string): Expectation {
  return design.expect(knobs)[invariant] ?? { verdict: 'holds', why: 'believed sound for this invariant' };
}
