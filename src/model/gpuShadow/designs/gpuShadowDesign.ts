/**
 * What the three GPU-shadowing designs share: the invariants they are checked against and the device
 * model's policy knobs. They differ in how shadow entries are filled (the resolver), in the world
 * (Xen backend domain or KVM host) and in which expectations follow.
 */
import { CORE_INVARIANT_IDS } from '../../core/designs/coreInvariants.ts';
import type { Expectation, KnobDef } from '../../core/design.ts';
import { GPU_SHADOW_KNOBS } from '../knobs.ts';

/** The GPU-shadowing invariants (issue 6). */
export const GPU_SHADOW_INVARIANT_IDS: readonly string[] = [
  'gpu-reaches-only-own-vm',
  'shadow-matches-guest',
  'tracked-while-shadowed',
  'track-counts-match',
  'ggtt-partition-respected',
];

/** Core invariants (less the grant one: these designs issue no grant operations) and the shadowing ones. */
export const SHADOW_DESIGN_INVARIANTS: readonly string[] = [
  ...CORE_INVARIANT_IDS.filter((id) => id !== 'end-access-fails-while-mapped'),
  ...GPU_SHADOW_INVARIANT_IDS,
];

/** The device model's command audit. */
export const AUDIT_COMMANDS: KnobDef = GPU_SHADOW_KNOBS.auditCommands;

/** The device model's check of GGTT writes against the partition. */
export const CHECK_GGTT_PARTITION: KnobDef = GPU_SHADOW_KNOBS.checkGgttPartition;

/** What turning the audit off breaks: the GPU running one VM follows another VM's GGTT entries. */
export const UNAUDITED: Expectation = {
  verdict: 'violated',
  why: "auditCommands=false: a command naming another VM's GGTT slice is queued, and the GPU running this VM reaches that VM's memory (level 2 lost)",
};

/**
 * What turning the partition check off breaks, added to a design's expectations where it has none of
 * its own: a VM's GGTT write lands in another VM's slice, whose GPU work and aperture then reach it.
 */
export function addUnpartitioned(out: Record<string, Expectation>): void {
  const unpartitioned: Record<string, Expectation> = {
    'ggtt-partition-respected': { verdict: 'violated', why: "checkGgttPartition=false: a VM's GGTT write lands in another VM's slice" },
    'gpu-reaches-only-own-vm': { verdict: 'violated', why: "another VM's GGTT slice now names this VM's page: its GPU work and aperture reach it" },
    'no-foreign-reach': { verdict: 'violated', why: "the other VM's CPU reaches this VM's page through its aperture slice" },
    'shadow-matches-guest': { verdict: 'violated', why: "the other VM's shadow slice no longer matches its own GGTT view" },
  };
  for (const [id, e] of Object.entries(unpartitioned)) out[id] ??= e;
}
