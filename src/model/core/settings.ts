/** Knob settings in words: what `--set` would say to get these knob values from a design's defaults. */
import type { KnobValues } from './op.ts';
import type { Design } from './design.ts';
import { knobDefaults } from './design.ts';

/** `name=value` for each knob whose value differs from the design's default, in knob order. */
export function settingsOf(design: Design, knobs: KnobValues): string[] {
  const defaults = knobDefaults(design);
  return Object.keys(knobs)
    .filter((k) => k in defaults && knobs[k] !== defaults[k])
    .map((k) => `${k}=${String(knobs[k])}`);
}
