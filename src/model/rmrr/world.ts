/**
 * The initial world of the RMRR designs: the platform of the scope (platformLayout.ts), a PVH hardware
 * domain that holds every device and, as the host E820 reserves every RMRR, has them identity-mapped
 * from boot with its RAM laid around them; then guests built by the design's own domain builder.
 * Every remaining domain id is spare, for `createDomain`.
 */
import { freeFrames } from '../core/frames.ts';
import type { Platform, PlatformPolicy } from './platform.ts';
import type { PlatformSpec } from './platformLayout.ts';
import { platformFor } from './platformLayout.ts';
import { RESERVED, rmrrGfns } from './rmrr.ts';
import { domainSlots } from '../core/scope.ts';
import type { Scope } from '../core/scope.ts';
import type { State } from '../core/state.ts';
import { buildWorld } from '../core/world.ts';
import type { GuestConfig } from './ops/domainBuilder.ts';
import { buildGuest, populateAt } from './ops/domains.ts';
import { insertIdentity } from './ops/hypervisor.ts';
import type { RmrrSemantics } from './ops/semantics.ts';
import type { OpContext } from '../core/op.ts';

/** What an RMRR design decides about its world: the policy in force, the IOMMU set-up, the initial guests. */
export interface RmrrWorldOptions {
  policy: PlatformPolicy;
  iommuPt: Platform['iommuPt'];
  deassignTo: Platform['deassignTo'];
  /** Configurations of the guests running at the start: dom1, dom2, … */
  guests: GuestConfig[];
  /** The platform's devices, RMRRs and address layout; default: the scope's (platformLayout.ts's `platformFor`). */
  platform?: PlatformSpec;
}

/** Build the world for a design's semantics and platform options. */
export function buildRmrrWorld(scope: Scope, sem: RmrrSemantics, opts: RmrrWorldOptions): State {
  const spec = opts.platform ?? platformFor(scope);
  const slots = domainSlots(scope);
  const state = buildWorld({ ...scope, domains: 1, spareDomains: slots - 1, initialPages: 0 }, { backendKind: 'pvh', clients: [] });
  const allGfns = spec.rmrrs.flatMap(rmrrGfns);
  for (const gfn of allGfns) state.frames[gfn].owner = RESERVED;
  const platform: Platform = {
    hwdom: 0,
    rmrrs: spec.rmrrs.map((r) => ({ ...r })),
    devices: spec.devices.map((d) => ({ ...d, rmrrs: [...d.rmrrs], owner: 0, context: 0, inflight: [] })),
    domains: Array.from({ length: slots }, () => ({ static: [], reservation: null, iommuOnly: [] })),
    policy: { ...opts.policy },
    iommuPt: opts.iommuPt,
    deassignTo: opts.deassignTo,
    layout: spec.layout,
  };
  state.platform = platform;
  platform.domains[0].reservation = { rmrrs: spec.rmrrs.map((_, r) => r), gfns: allGfns };
  const free = freeFrames(state);
  const ram: number[] = [];
  for (let gfn = 0; ram.length < scope.initialPages && gfn < scope.gfns; gfn++) if (!allGfns.includes(gfn)) ram.push(gfn);
  ram.forEach((gfn, i) => populateAt(state, 0, gfn, free[i]));
  for (const gfn of allGfns) insertIdentity(state, 0, gfn);
  const quiet: OpContext = { scope, knobs: {}, note: () => {}, warn: () => {} };
  opts.guests.slice(0, slots - 1).forEach((config, i) => {
    const r = buildGuest(sem, state, i + 1, config, scope.initialPages, quiet);
    if (!r.ok) throw new Error(`cannot build initial guest dom${i + 1}: ${r.err}`);
  });
  return state;
}
