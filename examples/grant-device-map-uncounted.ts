/**
 * Core, one rule: a grant mapped into the grantee's IOMMU takes no reference (host mappings still do),
 * as IOMMU mappings of grants once went uncounted. Expected: no-stale-reference newly broken (exit 1):
 * the granter balloons the frame out and it is reallocated while the grantee's device still reaches it.
 * Audit it: npx shadowcheck audit examples/grant-device-map-uncounted.ts
 */
import { CORE_RULES, deriveDesign, overrideRules, xenMapForDma } from '../src/api.ts';

export default deriveDesign(xenMapForDma, {
  id: 'grant-device-map-uncounted',
  rules: overrideRules(CORE_RULES, { grantMapCounts: (m) => m.where === 'host' }),
});
