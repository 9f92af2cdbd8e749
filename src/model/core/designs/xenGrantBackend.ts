/**
 * `xen-grant-backend`: grant tables as Xen keeps them, between client guests and two backends — the
 * baseline the grant accounting invariants are held against (issue 11 items 2 and 4). dom0 is a PVH
 * control domain whose IOMMU follows its p2m, so it may map only host halves ("No device mapping in
 * HVM domain") and its devices reach them through the p2m (p2m_grant_map_rw/ro); dom1 is a driver
 * domain whose devices use IOMMU tables of its own (seed 000's PV backend: "IOMMU tables (for PV)"),
 * so it maps grants with a host half, a device half or both; dom3 is a second such driver domain
 * and dom2 an HVM client (every domain may grant). A driver domain can crash (`crashBackend`) or be destroyed, and Xen's gnttab_release_mappings must
 * leave its clients whole. The `grantHandler` knob swaps one handler rule for a broken one (grantRules.ts) and
 * `releaseOnDeath` makes the release skip the device halves.
 */
import type { Design, Expectation } from '../design.ts';
import { GRANT_KNOBS, grantConfig } from '../grantRules.ts';
import { crashBackend } from '../ops/grantBackendCrash.ts';
import { CORE_OPS } from '../ops/coreOps.ts';
import { buildWorld } from '../world.ts';
import type { KnobValues } from '../op.ts';
import { CORE_INVARIANT_IDS } from './coreInvariants.ts';

/** The grant invariants' ids (invariants/core/grantInvariants.ts; a design names invariants by id). */
const GRANT_INVARIANT_IDS = ['grant-pins-match-mappings', 'writable-mapping-holds-type-ref', 'grant-maptrack-accounting', 'clients-survive-backend-crash'];

/** Generation weights of the grant ops in this design (the core's: 2, 3, 2, 2). */
const GRANT_WEIGHTS: Record<string, number> = { grantAccess: 4, mapGrant: 8, unmapGrant: 5, endAccess: 2 };

/** What each broken handler is expected to break, and why. */
function brokenHandler(knobs: KnobValues): Record<string, Expectation> {
  switch (grantConfig(knobs).grantHandler) {
    case 'xen':
      return {};
    case 'device-half-unpinned':
      return {
        'grant-pins-match-mappings': { verdict: 'violated', why: 'a device half is mapped without its GNTPIN_dev* pin' },
        'grant-maptrack-accounting': { verdict: 'violated', why: 'a device-only mapping leaves the grant unpinned while a handle names it' },
      };
    case 'unmap-unpins-host-counter':
      return {
        'grant-pins-match-mappings': { verdict: 'violated', why: 'unmapping a device half takes from the host counter, leaving the device pin behind' },
        'grant-maptrack-accounting': { verdict: 'violated', why: 'the grant stays pinned after its last handle is gone' },
        'clients-survive-backend-crash': { verdict: 'violated', why: 'the stale device pin outlives the grantee when it is destroyed' },
        'no-foreign-reach': { verdict: 'violated', why: 'the stale pin keeps act->mfn fixed after the last reference went: the granter balloons the page out, it is freed, and the next map maps the free frame' },
      };
    case 'no-writable-type-ref':
      return { 'writable-mapping-holds-type-ref': { verdict: 'violated', why: 'a writable device half holds no PGT_writable_page reference' } };
    case 'handle-freed-at-first-half':
      return {
        'grant-pins-match-mappings': { verdict: 'violated', why: 'a partial unmap frees the handle: the other half stays mapped and pinned with no handle to count it' },
        'grant-maptrack-accounting': { verdict: 'violated', why: 'the other half is a grant mapping without a handle: nothing can unmap it' },
        'no-foreign-reach': { verdict: 'violated', why: 'with the handle gone the grant counts no mapping, so the granter ends access while the orphaned half still maps its page' },
        'writable-mapping-holds-type-ref': { verdict: 'violated', why: "the orphaned writable device half's type reference is counted by no handle" },
        'clients-survive-backend-crash': { verdict: 'violated', why: "the orphaned half's pin is never released when the grantee dies" },
      };
  }
}

/** The grant-table baseline with a driver-domain backend. */
export const xenGrantBackend: Design = {
  id: 'xen-grant-backend',
  title: "grant tables as Xen keeps them: pins per half, writable-type references, partial unmaps, a driver-domain backend that can crash",
  description:
    "Clients grant pages to a PVH dom0 (host halves, DMA-reachable through its p2m) and to a driver domain with IOMMU tables of its own (host and device halves); maps pin the grant's active entry and fix its frame, writable halves take type references, unmaps may undo one half, and a crashed driver domain's mappings are released by Xen.",
  source: 'xen/common/grant_table.c (map_grant_ref, unmap_common, unmap_common_complete, gnttab_release_mappings, get_maptrack_handle); issue 11 items 2 and 4; issue 17 rows GNT-05..GNT-20',
  knobs: { ...GRANT_KNOBS },
  variants: [
    { grantHandler: 'device-half-unpinned' },
    { grantHandler: 'unmap-unpins-host-counter' },
    { grantHandler: 'no-writable-type-ref' },
    { grantHandler: 'handle-freed-at-first-half' },
    { releaseOnDeath: 'host-halves-only' },
  ],
  // The grant ops drawn more often than elsewhere: a partial unmap needs a grant to a driver domain, a
  // map of both halves and an unmap of one, so at the core's weights campaigns rarely get there.
  ops: [...CORE_OPS.map((op) => (GRANT_WEIGHTS[op.name] === undefined ? op : { ...op, weight: GRANT_WEIGHTS[op.name] })), crashBackend],
  invariants: [...CORE_INVARIANT_IDS, ...GRANT_INVARIANT_IDS],
  expect: (knobs) => ({
    ...brokenHandler(knobs),
    ...(grantConfig(knobs).releaseOnDeath === 'host-halves-only'
      ? {
          'clients-survive-backend-crash': { verdict: 'violated' as const, why: "the dead backend's device halves keep their pins: its clients can never end access" },
          'grant-maptrack-accounting': { verdict: 'violated' as const, why: "the dead backend's handles still name device halves whose IOMMU entries are gone" },
          'writable-mapping-holds-type-ref': { verdict: 'violated' as const, why: "the skipped device halves' PGT_writable_page references are never put" },
        }
      : {}),
  }),
  // A device half that takes no pin (the broken handler) never counts a devRw pin: nothing to reach there.
  sometimes: (knobs) => [
    'grant-pin-hostRw',
    ...(grantConfig(knobs).grantHandler === 'device-half-unpinned' ? [] : ['grant-pin-devRw']),
    'grant-partial-unmap-host-only',
    'driver-domain-backend-crashed',
  ],
  buildWorld: (scope) => {
    const s = buildWorld(scope, { backendKind: 'pvh', clients: [] });
    // dom0's IOMMU is its p2m, so its host grant maps are DMA-reachable; dom1 and dom3, driver domains, have tables of their own.
    s.domains[0].iommuPt = 'shared-ept';
    for (const dom of [1, 3]) if (s.domains.length > dom) s.domains[dom].kind = 'pvh';
    return s;
  },
};
