/**
 * A design's digest: what a saved trace depends on — the design id, its operations with their
 * hand-bumped revisions (`OpDef.rev`), and the knob values it ran with. Function source text is not
 * hashed: reformatting a file must not invalidate the corpus; changing an op's meaning bumps its rev.
 */
import type { Design } from '../model/core/design.ts';
import { knobDefaults } from '../model/core/design.ts';
import type { KnobValues } from '../model/core/op.ts';
import { shortHash } from './canonical.ts';

/** Each op's revision by name (0 when the op declares none). */
export function opRevs(design: Design): Record<string, number> {
  const out: Record<string, number> = {};
  for (const op of design.ops) out[op.name] = op.rev ?? 0;
  return out;
}

/** Every knob of the design with its value: `knobs` where given, the default otherwise. */
export function fullKnobs(design: Design, knobs: KnobValues): KnobValues {
  const out = knobDefaults(design);
  for (const name of Object.keys(out)) if (name in knobs) out[name] = knobs[name];
  return out;
}

/** The digest of a design run with `knobs` ("sha256:" and 16 hex digits). */
export function designDigest(design: Design, knobs: KnobValues): string {
  return `sha256:${shortHash({ id: design.id, ops: opRevs(design), knobs: fullKnobs(design, knobs) })}`;
}

/**
 * Why a digest recorded as `recorded` (with the op revisions `recordedOps` and knobs `recordedKnobs`)
 * differs from the design's now, in words: ops added, removed or re-revised, knobs added or removed.
 */
export function digestChanges(design: Design, recordedOps: Record<string, number>, recordedKnobs: KnobValues): string[] {
  const out: string[] = [];
  const now = opRevs(design);
  for (const [name, rev] of Object.entries(recordedOps)) {
    if (!(name in now)) out.push(`op ${name} was removed`);
    else if (now[name] !== rev) out.push(`op ${name} changed (rev ${rev} → ${now[name]})`);
  }
  for (const name of Object.keys(now)) if (!(name in recordedOps)) out.push(`op ${name} was added`);
  for (const name of Object.keys(recordedKnobs)) if (!(name in design.knobs)) out.push(`knob ${name} was removed`);
  for (const name of Object.keys(design.knobs)) if (!(name in recordedKnobs)) out.push(`knob ${name} was added`);
  return out;
}
