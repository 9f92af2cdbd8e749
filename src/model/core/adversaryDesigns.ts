/**
 * What every XenGT design shares once Xen stops trusting XenGT (issue 10): the four level invariants,
 * the adversary knobs, the world's adversary record, and the adversary settings `npm start` runs.
 * A XenGT design spreads these into its own fields; its `expect` says, per setting, which levels hold.
 */
import type { Expectation, KnobDef } from './design.ts';
import type { KnobValues } from './op.ts';
import { ADVERSARY_KNOBS, adversaryConfig, IDENTITY_KNOBS } from './adversary.ts';

/** The level invariants, by level. */
export const LEVEL_INVARIANT_IDS: readonly string[] = [
  'level-0-xen-protected',
  'level-1-clients-only',
  'level-2-clients-isolated',
  'level-3-only-what-was-given',
];

/** The adversary knobs, for a XenGT design's `knobs`. */
export const ADVERSARY_DESIGN_KNOBS: Record<string, KnobDef> = { ...ADVERSARY_KNOBS };

/** The adversary knobs and the disputed identity-IOMMU fact, for a design whose backend is a PV dom0. */
export const PV_DOM0_ADVERSARY_KNOBS: Record<string, KnobDef> = { ...ADVERSARY_KNOBS, ...IDENTITY_KNOBS };

/** The adversary settings the default campaign runs for every XenGT design, besides all-correct. */
export const ADVERSARY_VARIANTS: readonly KnobValues[] = [
  { backend: 'compromised' },
  { backend: 'compromised', backendPrivilege: 'control-domain' },
];

/** Whether every principal is correct and the backend de-privileged: the setting the designs' old verdicts are for. */
export function allCorrect(knobs: KnobValues): boolean {
  const c = adversaryConfig(knobs);
  return c.backend === 'correct' && c.client === 'correct' && c.nonClient === 'correct';
}

/** A held/violated expectation in one line. */
export function violated(why: string): Expectation {
  return { verdict: 'violated', why };
}
