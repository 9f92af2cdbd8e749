/**
 * The virtio-GPU world (seed 004): dom0 is the IOREQ-server backend (a PVH dom0 or driver domain, so its
 * IOMMU holds only what was mapped into it) with RAM buffers and its GPU's PCIe BAR; dom1 is the
 * frontend, with a passthrough NIC whose IOMMU shares its p2m and whose own BAR is mapped in its p2m;
 * dom2 is a third domain — the one an onward Map reaches, and the one that must never reach backend
 * memory through the frontend; dom3 is a bystander nobody serves.
 */
import type { Scope } from '../core/scope.ts';
import type { FrameOwner, State } from '../core/state.ts';
import { buildWorld } from '../core/world.ts';

/** Domain roles in the virtio-GPU world. */
export const VIRTIO_BACKEND = 0;
export const VIRTIO_FRONTEND = 1;
export const VIRTIO_THIRD = 2;

/** The passthrough device of the frontend. */
export const FRONTEND_DEVICE = 'nic0';

/** The owner value of MMIO frames: Xen's dom_io. Frozen and shared, like every owner value (frames.ts). */
export const IO: FrameOwner = Object.freeze({ kind: 'io' });

/** MMIO frames at the top of machine memory: two BAR pages of the backend's GPU, one of the frontend's NIC. */
const BAR_FRAMES = 3;

/**
 * Build the world. The backend is target-privileged for the frontend (it serves it), and the frontend
 * for the third domain (so an onward Map has somewhere to go). The frontend's NIC BAR sits at its last
 * GFN as `mmio_direct`: MMIO in the frontend's own p2m, which Steal must refuse.
 */
export function buildVirtioWorld(scope: Scope): State {
  const state = buildWorld(scope, { backendKind: 'pvh', clients: [VIRTIO_FRONTEND] });
  const domains = state.domains;
  if (scope.domains <= VIRTIO_THIRD) throw new Error('the virtio-GPU world needs at least 3 domains in scope');
  if (scope.frames < scope.xenFrames + BAR_FRAMES) throw new Error('the virtio-GPU world needs room for 3 BAR frames');
  domains[VIRTIO_FRONTEND].targets = [VIRTIO_THIRD];
  const bars: number[] = [];
  for (let mfn = scope.frames - BAR_FRAMES; mfn < scope.frames; mfn++) {
    const f = state.frames[mfn];
    if (f.owner.kind !== 'free') throw new Error(`frame ${mfn} is taken: widen scope.frames for the BAR frames`);
    state.frames[mfn] = { owner: IO, kind: 'mmio', gen: 1, refcount: 0, freedAt: -1 };
    bars.push(mfn);
  }
  const [gpuBar0, gpuBar1, nicBar] = bars;
  const nicGfn = scope.gfns - 1;
  domains[VIRTIO_FRONTEND].p2m[nicGfn] = { mfn: nicBar, type: 'mmio_direct', gen: 1, counted: false };
  state.virtio = {
    backend: VIRTIO_BACKEND,
    frontend: VIRTIO_FRONTEND,
    iomemCaps: { [VIRTIO_BACKEND]: [gpuBar0, gpuBar1], [VIRTIO_FRONTEND]: [nicBar] },
    devices: [{ dom: VIRTIO_FRONTEND, name: FRONTEND_DEVICE }],
    maps: [],
    faultRanges: [],
    ioreqs: [],
    hypercalls: [],
    dmas: [],
    stolen: [],
  };
  return state;
}
