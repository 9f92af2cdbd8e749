/**
 * virtio-GPU, one platform change: the backend is a PV dom0 (a 1:1 IOMMU over all of RAM) instead of
 * the thread's PVH dom0 or driver domain, passed to the slice's world builder, not copied from it.
 * Expected: nothing newly broken (exit 0) — the primitives never hand the backend's GPU a raw MFN, so
 * its wider IOMMU adds no path to anything.
 * Audit it: npx shadowcheck audit examples/virtio-pv-dom0-backend.ts
 */
import { buildVirtioWorld, deriveDesign, virtioGpuPrimitives } from '../src/api.ts';

export default deriveDesign(virtioGpuPrimitives, {
  id: 'virtio-pv-dom0-backend',
  buildWorld: (scope) => buildVirtioWorld(scope, { backendKind: 'pv-dom0' }),
});
