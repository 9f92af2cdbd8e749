/**
 * virtio-GPU, one rule: Steal checks only the frame's reference count (what steal_page sees), none of
 * the thread's other reasons. Expected: steal-only-exclusive-pages newly broken (exit 1).
 */
import { deriveDesign, overrideRules, VIRTIO_RULES, virtioGpuPrimitives } from '../src/api.ts';

export default deriveDesign(virtioGpuPrimitives, {
  id: 'steal-checks-refcount-only',
  rules: overrideRules(VIRTIO_RULES, {
    stealRefusal: (state, dom, gfn) => {
      const e = state.domains[dom].p2m[gfn];
      return e === null || e === undefined ? 'not-present' : state.frames[e.mfn].refcount !== 1 ? 'accessible' : undefined;
    },
  }),
});
