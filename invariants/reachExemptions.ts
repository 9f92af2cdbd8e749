/**
 * Every exemption to no-foreign-reach, in one table, so whoever audits isolation sees them all: a
 * principal may reach a frame its domain does not own exactly when one of these allows it. The rules
 * come from the core (own frame, target, grant) and from slices (RMRR identity maps, virtio-GPU
 * iomem_caps and Maps); like src/model/slices.ts, this file sits above the slices and may name them.
 * Each row also says what the frame's owner must be, so a rule cannot open up frames of another kind.
 */
import type { ReachEntry } from '../src/model/core/path.ts';
import type { Frame, State } from '../src/model/core/state.ts';
import { rmrrReachAllowed } from '../src/model/rmrr/rmrr.ts';
import { iomemPermits, providedByMap } from '../src/model/virtio/maps.ts';
import { ownBar } from '../src/model/ioasid/lookup.ts';

/** One exemption: why a reach of frame `f` by `e.principal` is legitimate. */
export interface ReachExemption {
  /** Short name, for reviews and tests. */
  readonly id: string;
  /** The slice the rule comes from. */
  readonly slice: 'core' | 'rmrr' | 'virtio' | 'ioasid';
  /** The rule in words, and where it comes from. */
  readonly rule: string;
  allows(state: State, e: ReachEntry, f: Frame): boolean;
}

/** Whether the reach entry's path goes through a live grant from `owner` to the principal's domain. */
function grantedBy(state: State, e: ReachEntry, owner: number): boolean {
  for (const hop of e.path) {
    if (hop.via !== 'grant' || hop.granter !== owner) continue;
    const g = state.domains[owner].grants[hop.ref];
    if (g !== null && g !== undefined && g.grantee === e.principal.dom) return true;
  }
  return false;
}

/** The exemptions, cheapest and commonest first (no-foreign-reach stops at the first that allows). */
export const REACH_EXEMPTIONS: readonly ReachExemption[] = [
  {
    id: 'own-frame',
    slice: 'core',
    rule: "a frame the principal's domain owns",
    allows: (_state, e, f) => f.owner.kind === 'dom' && f.owner.dom === e.principal.dom,
  },
  {
    id: 'target',
    slice: 'core',
    rule: "a frame of a domain the principal's domain is target-privileged for (IS_PRIV_FOR; seed 000)",
    allows: (state, e, f) => f.owner.kind === 'dom' && state.domains[e.principal.dom].targets.includes(f.owner.dom),
  },
  {
    id: 'grant',
    slice: 'core',
    rule: "a frame its owner granted to the principal's domain, reached through that live grant",
    allows: (state, e, f) => f.owner.kind === 'dom' && grantedBy(state, e, f.owner.dom),
  },
  {
    id: 'rmrr-identity',
    slice: 'rmrr',
    rule: 'a reserved (RMRR) frame, reached by a device using that RMRR or from a domain holding one: the identity map VT-d requires (seed 003)',
    allows: (state, e, f) => f.owner.kind === 'reserved' && rmrrReachAllowed(state, e),
  },
  {
    id: 'iomem-caps',
    slice: 'virtio',
    rule: "an MMIO frame the principal's domain's iomem_caps permit (its own device's BAR; seed 004)",
    allows: (state, e, f) => f.owner.kind !== 'reserved' && f.kind === 'mmio' && iomemPermits(state, e.principal.dom, e.mfn),
  },
  {
    id: 'virtio-map',
    slice: 'virtio',
    rule: 'a frame provided by a live virtio-GPU Map chain from a backend that may provide it (seed 004)',
    allows: (state, e, f) => f.owner.kind !== 'reserved' && providedByMap(state, e.path, e.mfn),
  },
  {
    id: 'ioasid-bar',
    slice: 'ioasid',
    rule: "the MMIO BAR page of a device the principal's process owns and holds bound: peer-to-peer DMA through the BAR's mmap (seed 001's world; iommufd's revocable p2p ⟨outside⟩)",
    allows: (state, e, f) => f.kind === 'mmio' && f.owner.kind === 'io' && ownBar(state, e.principal.dom, e.mfn),
  },
];
