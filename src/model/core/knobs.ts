/**
 * The core model's policy knobs as its ops read them. Each default is what an op does when a design
 * does not set the knob; a design declares the knob with its own description (`KnobDef`).
 */
import type { KnobConfig, KnobDefs } from './design.ts';
import { knobReader } from './design.ts';
import type { KnobValues } from './op.ts';

/** The core's knobs. */
export const CORE_KNOBS = {
  checkTarget: {
    description: "Xen refuses to map or look up domains that are not on the caller's target list (IS_PRIV_FOR)",
    values: [true, false],
    default: true,
  },
  setTargetOnce: {
    description: "XEN_DOMCTL_set_target is set-once, as Xen's do_domctl has it (cmpxchgptr(&d->target, NULL, e): a domain that has a target answers EINVAL); false re-targets — the list becomes [dom] — the model's reading of the thread's target-list proposal, for a design that declares it",
    values: [true, false],
    default: true,
  },
} as const satisfies KnobDefs;

/** The core's configuration: `{ checkTarget: boolean; setTargetOnce: boolean }`. */
export type CoreConfig = KnobConfig<typeof CORE_KNOBS>;

/** The core's configuration under a run's knob values. */
export const coreConfig: (knobs: KnobValues) => CoreConfig = knobReader(CORE_KNOBS);
