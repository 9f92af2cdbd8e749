/**
 * The two RMRR designs as compositions of the three layers (domain builder, hvmloader, toolstack,
 * hypervisor). The operations (domains.ts, devices.ts) run the same steps for both; what each layer
 * decides is what differs.
 */
import type { PciDevice, Platform } from '../platform.ts';
import type { DomId, State } from '../../core/state.ts';
import type { OpContext, OpResult } from '../../core/op.ts';
import type { GuestConfig, LayoutPlan } from './domainBuilder.ts';
import { planFlatLayout, planReservingLayout } from './domainBuilder.ts';
import type { TablesPlan } from './hvmloader.ts';
import { placeTables } from './hvmloader.ts';
import { mapRmrrs2014, mapRmrrsChecked } from './hypervisor.ts';
import { libxlReservationCheck, sharedRmrrCheck } from './toolstack.ts';

/** What the domain builder and hvmloader decide for a new guest. */
export interface GuestPlan {
  layout: LayoutPlan;
  tables: TablesPlan;
}

/** One design's layers. */
export interface RmrrSemantics {
  name: 'rmrr-2014' | 'rmrr-v2';
  /** Whether guests can be configured to reserve more than their static devices' RMRRs. */
  reserves: boolean;
  /** Whether Xen refuses to map anything but the identity at a reserved GFN (../teardown.ts). */
  enforcesReservation: boolean;
  /** Domain builder then hvmloader, for a fresh guest of `pages` RAM pages. */
  planGuest(p: Platform, config: GuestConfig, pages: number): GuestPlan;
  /** libxl before the assign domctl: a refusal, or undefined to go on. */
  toolstackCheck(p: Platform, dom: DomId, dev: PciDevice, ctx: OpContext): OpResult | undefined;
  /** Xen's own refusal before it maps anything, or undefined. */
  hypervisorCheck(p: Platform, dev: PciDevice, ctx: OpContext): OpResult | undefined;
  /** Xen identity-maps the device's RMRRs into `dom`; a refusal changes nothing. */
  mapRmrrs(state: State, p: Platform, dom: DomId, dev: PciDevice, onConflict: 'fail' | 'warn', ctx: OpContext): OpResult;
}

function tablesAfter(p: Platform, layout: LayoutPlan, avoid: boolean): TablesPlan {
  const ram = new Set(layout.ram);
  const reserved = avoid ? new Set(layout.reservation?.gfns ?? []) : undefined;
  return placeTables(p.layout, (gfn) => !ram.has(gfn), reserved);
}

/** Xen and its toolstack as of 2014: none of the fixes. */
export const RMRR_2014: RmrrSemantics = {
  name: 'rmrr-2014',
  reserves: false,
  enforcesReservation: false,
  planGuest(p, _config, pages) {
    const layout = planFlatLayout(p.layout, pages);
    return { layout, tables: tablesAfter(p, layout, false) };
  },
  toolstackCheck: () => undefined,
  hypervisorCheck: () => undefined,
  mapRmrrs: (state, p, dom, dev) => mapRmrrs2014(state, p, dom, dev),
};

/** The v2 proposal with George Dunlap's amendments. */
export const RMRR_V2: RmrrSemantics = {
  name: 'rmrr-v2',
  reserves: true,
  enforcesReservation: true,
  planGuest(p, config, pages) {
    const layout = planReservingLayout(p, config, pages);
    return { layout, tables: tablesAfter(p, layout, true) };
  },
  toolstackCheck: (p, dom, dev, ctx) => libxlReservationCheck(p, dom, dev, ctx) ?? sharedRmrrCheck(p, dev, ctx, 'libxl'),
  // The fall-back only denies: an override was already warned about by libxl.
  hypervisorCheck: (p, dev, ctx) => (p.policy.sharedRmrr === 'deny' ? sharedRmrrCheck(p, dev, ctx, 'Xen') : undefined),
  mapRmrrs: mapRmrrsChecked,
};
