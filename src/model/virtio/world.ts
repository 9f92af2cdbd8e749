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

/**
 * The platform a virtio-GPU design assumes, beside the scope: what kind of domain the backend is
 * and how many BAR pages its GPU has. The default is the thread's: a PVH dom0 or driver domain (its
 * IOMMU holds only what was mapped into it) with a two-page GPU BAR. A proposal that assumes another
 * platform passes its own (`buildWorld: (scope) => buildVirtioWorld(scope, { backendKind: 'pv-dom0' })`)
 * instead of copying this builder.
 */
export interface VirtioPlatform {
  /** `pvh` (default): the IOMMU holds only what Xen mapped; `pv-dom0`: a 1:1 IOMMU over all of RAM. */
  backendKind?: 'pvh' | 'pv-dom0';
  /** Pages of the backend GPU's PCIe BAR, at the top of machine memory below the NIC's (default 2). */
  gpuBarPages?: number;
}

/** The thread's platform. */
export const DEFAULT_VIRTIO_PLATFORM: Required<VirtioPlatform> = { backendKind: 'pvh', gpuBarPages: 2 };

/**
 * Build the world on `platform` (default: the thread's). The backend is target-privileged for the
 * frontend (it serves it), and the frontend for the third domain (so an onward Map has somewhere to
 * go). The frontend's NIC BAR sits at its last GFN as `mmio_direct`: MMIO in the frontend's own p2m,
 * which Steal must refuse.
 */
export function buildVirtioWorld(scope: Scope, platform: VirtioPlatform = {}): State {
  const { backendKind, gpuBarPages } = { ...DEFAULT_VIRTIO_PLATFORM, ...platform };
  if (!Number.isInteger(gpuBarPages) || gpuBarPages < 1) throw new Error(`the virtio-GPU world needs a GPU BAR of at least one page, not ${gpuBarPages}`);
  const barFrames = gpuBarPages + 1;
  const state = buildWorld(scope, { backendKind, clients: [VIRTIO_FRONTEND] });
  const domains = state.domains;
  if (scope.domains <= VIRTIO_THIRD) throw new Error('the virtio-GPU world needs at least 3 domains in scope');
  if (scope.frames < scope.xenFrames + barFrames) throw new Error(`the virtio-GPU world needs room for ${barFrames} BAR frames`);
  domains[VIRTIO_FRONTEND].targets = [VIRTIO_THIRD];
  const bars: number[] = [];
  for (let mfn = scope.frames - barFrames; mfn < scope.frames; mfn++) {
    const f = state.frames[mfn];
    if (f.owner.kind !== 'free') throw new Error(`frame ${mfn} is taken: widen scope.frames for the BAR frames`);
    state.frames[mfn] = { owner: IO, kind: 'mmio', gen: 1, refcount: 0, freedAt: -1 };
    bars.push(mfn);
  }
  const nicBar = bars.pop()!;
  const nicGfn = scope.gfns - 1;
  domains[VIRTIO_FRONTEND].p2m[nicGfn] = { mfn: nicBar, type: 'mmio_direct', gen: 1, counted: false };
  state.virtio = {
    backend: VIRTIO_BACKEND,
    frontend: VIRTIO_FRONTEND,
    iomemCaps: { [VIRTIO_BACKEND]: bars, [VIRTIO_FRONTEND]: [nicBar] },
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
