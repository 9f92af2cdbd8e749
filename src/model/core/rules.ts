/**
 * The core's named rules (ruleSet.ts): the decisions the grant-table handlers make, extracted so a
 * proposal changes one and every op built on it follows (mapGrant and the teardown that releases its
 * mappings; endAccess).
 */
import type { DomId, GrantEntry, State } from './state.ts';
import { defineRules } from './ruleSet.ts';

/** What a grant mapping is: which grant, which frame, and where it is being mapped. */
export interface GrantMapping {
  state: State;
  grantee: DomId;
  granter: DomId;
  ref: number;
  mfn: number;
  /** The grantee's p2m (`host`) or its IOMMU (`device`). */
  where: 'host' | 'device';
}

/** The core's rules, at the semantics of Xen's grant tables. */
export const CORE_RULES = defineRules(
  'core',
  {
    /** GNTTABOP_map_grant_ref takes a reference on the frame for each mapping it installs (host and device alike). */
    grantMapCounts: (_m: GrantMapping): boolean => true,
    /** gnttab_end_foreign_access succeeds only while no mapping of the grant is live. */
    endAccessAllowed: (_state: State, _granter: DomId, _ref: number, grant: GrantEntry): boolean => grant.maps === 0,
  },
  {
    grantMapCounts: 'whether a grant mapping (host p2m or device IOMMU) takes a counted reference on the frame',
    endAccessAllowed: 'whether end_access may revoke a grant (default: only while it is not mapped)',
  },
);
