/**
 * RMRR, one rule: rmrr-v2, but a device taken from its guest goes back to the hardware domain's
 * context instead of quarantine (what Xen did before quarantine existed). Expected: DMA the guest
 * programmed lands in dom0's memory — device-dma-only-own-domain and no-foreign-reach newly broken.
 * Audit it: npx shadowcheck audit examples/deassign-to-hwdom.ts
 */
import { deriveDesign, overrideRules, RMRR_RULES, rmrrV2 } from '../src/api.ts';

export default deriveDesign(rmrrV2, {
  id: 'deassign-to-hwdom',
  rules: overrideRules(RMRR_RULES, { deassignTo: () => 'hwdom' }),
});
