/**
 * `fuzz --adversary role=value` and `fuzz --levels`: the adversary settings as command-line words.
 * `--adversary backend=compromised` is the knob setting `backend=compromised` of every XenGT design
 * (src/model/core/adversary.ts), checked here so a typo is a usage error naming the valid words;
 * `--levels` runs the full level matrix (levelTable.ts) over the designs that check the levels.
 */
import { ADVERSARY_KNOBS } from '../model/core/adversary.ts';
import { LEVEL_INVARIANT_IDS } from '../model/core/adversaryDesigns.ts';
import type { Design } from '../model/core/design.ts';
import type { KnobValues } from '../model/core/op.ts';
import { UsageError } from './args.ts';
import { LEVEL_MATRIX } from './levelTable.ts';
import { knobsFor } from './select.ts';

/** The `--set` words of `--adversary` values, each checked against the adversary knobs. */
export function adversarySets(values: readonly string[] | undefined): string[] {
  return (values ?? []).map((v) => {
    const eq = v.indexOf('=');
    const name = v.slice(0, eq);
    const def = eq > 0 && Object.hasOwn(ADVERSARY_KNOBS, name) ? ADVERSARY_KNOBS[name as keyof typeof ADVERSARY_KNOBS] : undefined;
    if (def === undefined || !(def.values as readonly string[]).includes(v.slice(eq + 1))) {
      const valid = Object.entries(ADVERSARY_KNOBS).map(([k, d]) => `${k}=${d.values.join('|')}`);
      throw new UsageError(`--adversary takes one of ${valid.join(', ')}, not '${v}'`);
    }
    return v;
  });
}

/** The designs that check Tim Deegan's levels, of those selected; a usage error when none does. */
export function levelDesigns(designs: readonly Design[]): Design[] {
  const out = designs.filter((d) => LEVEL_INVARIANT_IDS.every((id) => d.invariants.includes(id)));
  if (out.length === 0) throw new UsageError(`--levels: none of the selected designs checks the level invariants (${designs.map((d) => d.id).join(', ')})`);
  return out;
}

/** The knob values of every setting of the level matrix for a design, on top of the user's `--set`s. */
export function levelSettings(design: Design, sets: readonly string[], all: readonly Design[]): KnobValues[] {
  return LEVEL_MATRIX.map((m) => knobsFor(design, [...sets, ...m], all)).filter((k): k is KnobValues => k !== undefined);
}
