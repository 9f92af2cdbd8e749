/**
 * Turning names on the command line into designs, invariants and knob values — with a clear error that
 * lists the valid names when one is unknown.
 */
import { findInvariant, INVARIANTS } from '../../invariants/registry.ts';
import type { Invariant } from '../../invariants/types.ts';
import { DESIGNS, findDesign } from '../model/designs.ts';
import type { Design, KnobValue } from '../model/core/design.ts';
import { knobDefaults } from '../model/core/design.ts';
import type { KnobValues } from '../model/core/op.ts';
import { UsageError } from './args.ts';

/** The designs named (all when none). */
export function selectDesigns(ids: readonly string[] | undefined): Design[] {
  if (ids === undefined || ids.length === 0) return [...DESIGNS];
  return ids.map((id) => {
    const d = findDesign(id);
    if (d === undefined) throw new UsageError(`unknown design '${id}' (valid: ${DESIGNS.map((x) => x.id).join(', ')})`);
    return d;
  });
}

/** The invariants named (all when none). */
export function selectInvariants(ids: readonly string[] | undefined): Invariant[] {
  if (ids === undefined || ids.length === 0) return [...INVARIANTS];
  return ids.map((id) => {
    const inv = findInvariant(id);
    if (inv === undefined) throw new UsageError(`unknown invariant '${id}' (valid: ${INVARIANTS.map((x) => x.id).join(', ')})`);
    return inv;
  });
}

/** Parse a knob value as the type its definition's values have. */
function parseKnobValue(design: Design, name: string, text: string): KnobValue {
  const def = design.knobs[name];
  const match = def.values.find((v) => String(v) === text);
  if (match === undefined) {
    throw new UsageError(`knob ${name} of design ${design.id} takes one of ${def.values.map(String).join(', ')}, not '${text}'`);
  }
  return match;
}

/**
 * Apply `--set knob=value` settings to a design's defaults. A knob the design lacks is an error only
 * when no selected design has it (so `--set checkTarget=false` works across the designs that have it).
 */
export function knobsFor(design: Design, sets: readonly string[], allDesigns: readonly Design[]): KnobValues | undefined {
  const knobs = knobDefaults(design);
  let applies = true;
  for (const set of sets) {
    const eq = set.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes knob=value, not '${set}'`);
    const name = set.slice(0, eq);
    if (!(name in design.knobs)) {
      if (!allDesigns.some((d) => name in d.knobs)) {
        const valid = [...new Set(allDesigns.flatMap((d) => Object.keys(d.knobs)))];
        throw new UsageError(`unknown knob '${name}' (knobs of the selected designs: ${valid.join(', ') || 'none'})`);
      }
      applies = false;
      continue;
    }
    knobs[name] = parseKnobValue(design, name, set.slice(eq + 1));
  }
  return applies ? knobs : undefined;
}

/** The knob settings a campaign runs for a design: the given ones, or defaults plus the design's variants. */
export function settingsFor(design: Design, sets: readonly string[], allDesigns: readonly Design[], withVariants: boolean): KnobValues[] {
  if (sets.length > 0) {
    const k = knobsFor(design, sets, allDesigns);
    return k === undefined ? [] : [k];
  }
  const base = knobDefaults(design);
  const out = [base];
  if (withVariants) for (const v of design.variants ?? []) out.push({ ...base, ...v });
  return out;
}
