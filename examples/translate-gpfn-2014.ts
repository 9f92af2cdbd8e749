/**
 * The 2014 XenGT proposal written as a change to Tim Deegan's map-for-DMA design — the worked example
 * of `shadowcheck audit` (docs/corpus-replay-audit.md, "Auditing a proposed interface change").
 *
 * Seed 000: Yu Zhang (2014-12-09 10:10) asks to revive XENMEM_translate_gpfn_list (or add
 * XENMEM_get_mfn_from_pfn): the device model looks up a client's GFN and writes the raw MFN into the
 * GPU's tables. No reference is taken and nothing is mapped. So the change is two operations:
 * `shadowSet`/`shadowClear` go through the raw lookup (`translateGpfn`) instead of `mapForDma`.
 *
 * It also changes the world. A raw MFN means something to the GPU only because a PV dom0's IOMMU is
 * the identity over all RAM (Paul Durrant 2014-12-09 10:19: "use of an raw mfn value currently works
 * only because dom0 is using a 1:1 IOMMU mapping scheme"; Malcolm Crossley: XenGT "will not work if
 * Xen is booted with iommu=dom0-strict"). The baseline's backend is a PVH dom0 whose IOMMU holds only
 * what was mapped into it; keeping that world would make the GPU fault on every raw MFN (or alias
 * whatever else sits at that BFN) and the audit would measure a platform the proposal never ran on.
 * So the derived design overrides `buildWorld` with the PV dom0 the proposal assumed.
 *
 * Audit it: npx shadowcheck audit examples/translate-gpfn-2014.ts
 * Expected: no-stale-reference, no-foreign-reach and no-xen-frame-reach newly broken (exit 1).
 */
import { DEFAULT_CLIENTS, buildWorld, deriveDesign, makeShadowClear, makeShadowSet, translateGpfn, xenMapForDma } from '../src/api.ts';

export default deriveDesign(xenMapForDma, {
  id: 'translate-gpfn-2014',
  title: 'XENMEM_translate_gpfn_list revived, proposed in place of map-for-DMA',
  source: 'seed 000: Yu Zhang 2014-12-09 10:10 (the proposal); Paul Durrant 2014-12-09 10:19 (the 1:1 IOMMU it relies on)',
  ops: {
    shadowSet: makeShadowSet(translateGpfn),
    shadowClear: makeShadowClear(translateGpfn),
  },
  buildWorld: (scope) => buildWorld(scope, { backendKind: 'pv-dom0', clients: [...DEFAULT_CLIENTS] }),
});
