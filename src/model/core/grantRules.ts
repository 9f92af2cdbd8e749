/**
 * The grant-table handlers' decisions as named rules (ruleSet.ts), so a design file changes one of them
 * and mapGrant, unmapGrant and the dying grantee's release all follow: which pin counter a mapped or
 * unmapped half moves, whether a half holds a writable-type reference, whether a grantee may have a
 * device half at all, and when a maptrack handle is freed. The defaults are Xen's
 * (xen/common/grant_table.c: map_grant_ref, unmap_common, unmap_common_complete).
 *
 * Besides a design's own overrides (`deriveDesign(…, { rules })`), the `grantHandler` knob selects one
 * of a catalogue of broken handlers — each the kind of accounting slip Xen's history has — so `list`
 * shows them as variants and campaigns show which invariant each one breaks.
 */
import type { KnobConfig, KnobDefs } from './design.ts';
import { knobReader } from './design.ts';
import type { PinKind } from './grantActive.ts';
import { pinKind } from './grantActive.ts';
import type { KnobValues, OpContext } from './op.ts';
import type { RuleOverrides } from './ruleSet.ts';
import { defineRules, overrideRules, ruleOf } from './ruleSet.ts';
import type { DomId, MaptrackEntry, State } from './state.ts';

/** One half of a grant mapping, as a rule sees it. */
export interface GrantHalf {
  state: State;
  grantee: DomId;
  granter: DomId;
  ref: number;
  mfn: number;
  half: 'host' | 'device';
  readonly: boolean;
}

/**
 * paging_mode_external: an HVM guest, or a PVH domain whose IOMMU follows its p2m. The model's PVH
 * domain with separate IOMMU tables stands for seed 000's PV backend ("IOMMU tables (for PV)"), so it
 * is not external; neither is a PV dom0.
 */
export function pagingExternal(state: State, dom: DomId): boolean {
  const d = state.domains[dom];
  return d.kind === 'hvm' || (d.kind === 'pvh' && d.iommuPt === 'shared-ept');
}

/** The grant-table rules, at Xen's semantics. */
export const GRANT_RULES = defineRules(
  'core',
  {
    /** map_grant_ref's `pin_incr`: each mapped half adds one to its own counter. */
    grantPinOnMap: (h: GrantHalf): PinKind[] => [pinKind(h.half, h.readonly)],
    /** unmap_common_complete: each unmapped half takes one from its own counter. */
    grantUnpinOnUnmap: (h: GrantHalf): PinKind[] => [pinKind(h.half, h.readonly)],
    /**
     * get_page_type(PGT_writable_page) for a writable device half, and for a writable host half when
     * gnttab_host_mapping_get_page_type says so (x86: the granter is PV — not paging-external).
     */
    grantTakesTypeRef: (h: GrantHalf): boolean => !h.readonly && (h.half === 'device' || !pagingExternal(h.state, h.granter)),
    /** "No device mapping in HVM domain": only a grantee that is not paging-external may have a device half. */
    grantDeviceMapAllowed: (state: State, grantee: DomId): boolean => !pagingExternal(state, grantee),
    /** unmap_common: the handle is put once neither half is left. */
    grantHandleFreed: (m: MaptrackEntry): boolean => m.hostGfn < 0 && m.deviceBfn < 0,
  },
  {
    grantPinOnMap: 'which pin counters (GNTPIN_hstw/hstr/devw/devr) a mapped half adds to (default: its own)',
    grantUnpinOnUnmap: 'which pin counters an unmapped half takes from (default: its own)',
    grantTakesTypeRef: 'whether a mapped half holds a PGT_writable_page type reference (default: writable device halves, and writable host halves of a PV granter)',
    grantDeviceMapAllowed: 'whether a grantee may map a device half (default: not an HVM or p2m-sharing PVH grantee, "No device mapping in HVM domain")',
    grantHandleFreed: 'whether an unmap frees the maptrack handle (default: once neither half is left)',
  },
);

/** The broken handlers the `grantHandler` knob selects, each one rule replaced. */
const BROKEN_HANDLERS: Record<Exclude<GrantConfig['grantHandler'], 'xen'>, RuleOverrides> = {
  'device-half-unpinned': overrideRules(GRANT_RULES, { grantPinOnMap: (h) => (h.half === 'device' ? [] : [pinKind(h.half, h.readonly)]) }),
  'unmap-unpins-host-counter': overrideRules(GRANT_RULES, { grantUnpinOnUnmap: (h) => [pinKind('host', h.readonly)] }),
  'no-writable-type-ref': overrideRules(GRANT_RULES, { grantTakesTypeRef: () => false }),
  'handle-freed-at-first-half': overrideRules(GRANT_RULES, { grantHandleFreed: () => true }),
};

/** The grant knobs a design declares to offer the catalogue (values first: the default). */
export const GRANT_KNOBS = {
  grantHandler: {
    description:
      "the grant-table handlers: xen (pins per half, writable-type references, handle freed when both halves are gone) or one broken rule — device-half-unpinned (map_grant_ref forgets GNTPIN_dev*), unmap-unpins-host-counter (a device unmap takes from the host counter), no-writable-type-ref (no get_page_type for writable maps), handle-freed-at-first-half (a partial unmap frees the handle, orphaning the other half)",
    values: ['xen', 'device-half-unpinned', 'unmap-unpins-host-counter', 'no-writable-type-ref', 'handle-freed-at-first-half'],
    default: 'xen',
  },
  releaseOnDeath: {
    description:
      "what gnttab_release_mappings undoes when a grantee dies (a crashed driver-domain backend): both-halves (Xen: every handle, host and device half, refs, type refs and pins) or host-halves-only (the device halves' pins are left behind, so the clients can never end access)",
    values: ['both-halves', 'host-halves-only'],
    default: 'both-halves',
  },
} as const satisfies KnobDefs;

/** The grant configuration under a run's knob values. */
export type GrantConfig = KnobConfig<typeof GRANT_KNOBS>;

/** The grant knobs as a run's values set them. */
export const grantConfig: (knobs: KnobValues) => GrantConfig = knobReader(GRANT_KNOBS);

/**
 * The grant rule `name` in force for this call: the design's own override, else the broken handler
 * the `grantHandler` knob selects, else Xen's.
 */
export function grantRule<K extends keyof typeof GRANT_RULES.defaults & string>(ctx: Pick<OpContext, 'rules' | 'knobs'>, name: K): (typeof GRANT_RULES.defaults)[K] {
  const own = ctx.rules?.[`core.${name}`];
  if (own !== undefined) return own as (typeof GRANT_RULES.defaults)[K];
  const handler = grantConfig(ctx.knobs).grantHandler;
  const broken = handler === 'xen' ? undefined : BROKEN_HANDLERS[handler];
  return ruleOf(GRANT_RULES, { rules: broken }, name);
}
