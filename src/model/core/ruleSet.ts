/**
 * Named, overridable rules: each slice exposes the decisions its handlers make — how a grant map
 * takes its reference, whether end_access may revoke, where a deassigned device goes, what Steal
 * checks — as a rule set (its `rules.ts`), and its ops ask the set for the rule in force at each
 * call. A design may override any rule by its qualified name (`core.grantMapCounts`); every op that
 * uses the rule follows, so a proposal that changes one decision is one rule, not a copy of every op
 * built on it (`deriveDesign(baseline, { rules: overrideRules(CORE_RULES, { … }) })`).
 *
 * The rules in force travel with the op context (`ctx.rules`, filled by the runner from the design),
 * so no global state is involved and two designs run side by side (an audit) each see their own.
 */
import type { OpContext } from './op.ts';

/** A rule: a plain function of the state and the op's arguments, deciding one thing. */
// Rules of different shapes sit in one record, as ops do in a list; `never[]` accepts any parameters.
export type Rule = (...args: never[]) => unknown;

/** Rule overrides by qualified name (`slice.rule`), as a design carries them. */
export type RuleOverrides = Readonly<Record<string, Rule>>;

/** A slice's rules: the defaults (the baseline semantics) with one line of documentation each. */
export interface RuleSet<R extends Record<string, Rule>> {
  /** The slice the rules belong to: the prefix of their qualified names. */
  slice: string;
  defaults: R;
  docs: { readonly [K in keyof R]: string };
}

/** Every rule any slice defines, by qualified name, so `deriveDesign` can refuse an unknown name. */
const KNOWN = new Map<string, string>();

/** Define a slice's rule set (its defaults are the current semantics) and register its names. */
export function defineRules<R extends Record<string, Rule>>(slice: string, defaults: R, docs: { readonly [K in keyof R]: string }): RuleSet<R> {
  for (const name of Object.keys(defaults)) KNOWN.set(`${slice}.${name}`, docs[name]);
  return { slice, defaults, docs };
}

/** Every known rule: qualified name → its documentation (for `list`, docs and error messages). */
export function knownRules(): ReadonlyMap<string, string> {
  return KNOWN;
}

/** The rule `name` of `set` in force for this op call: the design's override, else the default. */
export function ruleOf<R extends Record<string, Rule>, K extends keyof R & string>(set: RuleSet<R>, ctx: Pick<OpContext, 'rules'>, name: K): R[K] {
  const o = ctx.rules?.[`${set.slice}.${name}`];
  return (o ?? set.defaults[name]) as R[K];
}

/** Typed overrides of some of a set's rules, as `deriveDesign`'s `rules` takes them. */
export function overrideRules<R extends Record<string, Rule>>(set: RuleSet<R>, overrides: Partial<R>): RuleOverrides {
  const out: Record<string, Rule> = {};
  for (const [name, f] of Object.entries(overrides)) {
    if (!(name in set.defaults)) throw new Error(`overrideRules: ${set.slice} has no rule '${name}' (rules: ${Object.keys(set.defaults).join(', ')})`);
    if (typeof f !== 'function') throw new Error(`overrideRules: ${set.slice}.${name} must be a function`);
    out[`${set.slice}.${name}`] = f as Rule;
  }
  return out;
}
