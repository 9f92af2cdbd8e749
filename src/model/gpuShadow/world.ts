/**
 * Worlds for the GPU-shadowing designs: the core world (world.ts) plus a mediated GPU — a global GTT
 * partitioned into one slice per client VM, a vGPU per client with room for its PPGTTs — and page
 * tracking for each client VM, with the device model's track notifier registered.
 */
import { GGTT_SLICE, PPGTTS_PER_VM } from './sizes.ts';
import { emptySlot } from './pageTrack.ts';
import type { Scope } from '../core/scope.ts';
import type { State } from '../core/state.ts';
import type { Memslot, PageTrackVm } from './pageTrackState.ts';
import type { Vgpu } from './state.ts';
import { NOT_PRESENT } from './guestPages.ts';
import type { WorldOptions } from '../core/world.ts';
import { buildWorld } from '../core/world.ts';

/** The name the device model (GVT: XenGT / KVMGT) registers its track notifier under. */
export const GVT_NOTIFIER = 'gvt';

/** What a GPU-shadowing design decides about its world besides the core options. */
export interface GpuShadowWorldOptions extends WorldOptions {
  /** KVM: two memslots the toolstack may move or re-flag. Xen: one fixed range (Xen has no memslots). */
  memslots: 'kvm' | 'xen';
  /** Width of a page-track counter in bits (KVM's 'unsigned short': 16). */
  counterBits: number;
  /** Whether each vGPU keeps KVMGT's protect table (tracks a page once), rather than one tracker per shadow structure. */
  protectTable?: boolean;
}

/**
 * The memslots a VM starts with. KVM: two slots of a quarter of the GFN space each at the bottom —
 * the first holds the initial RAM — leaving the top half free for a slot to move into.
 */
export function initialMemslots(scope: Scope, layout: 'kvm' | 'xen'): Memslot[] {
  if (layout === 'xen') return [emptySlot(0, scope.gfns)];
  const n = Math.max(1, Math.floor(scope.gfns / 4));
  return [emptySlot(0, n), emptySlot(n, n)];
}

function newVgpu(ggttBase: number, protectTable: boolean): Vgpu {
  const vgpu: Vgpu = {
    ggttBase,
    vggtt: new Array<number>(GGTT_SLICE).fill(NOT_PRESENT),
    ppgtts: new Array(PPGTTS_PER_VM).fill(null),
    ring: [],
  };
  // Only a KVMGT world has the field: the other worlds' states stay as they were.
  if (protectTable) vgpu.protect = [];
  return vgpu;
}

/** Build the initial state. Deterministic: same scope and options, same state. */
export function buildGpuShadowWorld(scope: Scope, opts: GpuShadowWorldOptions): State {
  const state = buildWorld(scope, opts);
  const clients = state.domains[0].targets;
  // The shadows replace the flat tables: the GPU walks only what the device model shadows.
  state.gpu.tables = {};
  const vgpus: Record<number, Vgpu> = {};
  clients.forEach((c, i) => (vgpus[c] = newVgpu(i * GGTT_SLICE, opts.protectTable === true)));
  state.gpu.shadow = { ggtt: new Array(clients.length * GGTT_SLICE).fill(null), vgpus, running: null };
  // Only the clients' pages are ever tracked (by the device model), so only they carry tracking state.
  const vms: Record<number, PageTrackVm> = {};
  for (const c of clients) vms[c] = { memslots: initialMemslots(scope, opts.memslots), notifiers: [GVT_NOTIFIER] };
  state.pageTrack = { counterMax: 2 ** opts.counterBits - 1, vms };
  return state;
}
