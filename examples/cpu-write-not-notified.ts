/**
 * GPU shadowing, one rule: KVM emulates a guest CPU store to a write-tracked PPGTT page but does not
 * call the device model's track_write. kvmgt-page-track already lets the shadow go stale through
 * emulated device DMA; this is a second way, so shadow-matches-guest is "broken differently".
 * Audit it: npx shadowcheck audit examples/cpu-write-not-notified.ts
 */
import { deriveDesign, GPU_SHADOW_RULES, kvmgtPageTrack, overrideRules } from '../src/api.ts';

export default deriveDesign(kvmgtPageTrack, {
  id: 'cpu-write-not-notified',
  rules: overrideRules(GPU_SHADOW_RULES, { notifiesCpuWrite: () => false }),
});
