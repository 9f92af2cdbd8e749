/**
 * What the GPU and the aperture reach through the shadow GTTs, and the references shadow entries hold.
 * Kevin Tian's two translation paths (seed 000, 2014-12-10 08:47):
 *  1. CPU access through the partitioned PCI aperture: aperture offset = graphics memory address,
 *     translated by the (shadow) global GTT, then the IOMMU;
 *  2. GPU access through command operands: graphics memory address → shadow GGTT or the loaded shadow
 *     PPGTT → the backend's IOMMU.
 * The GPU running VM X's context reaches X's GGTT slice and every present leaf of the PPGTT loaded for
 * it (its commands may name any of those), plus whatever GGTT entry an accepted command names outside
 * the slice — which the device model's audit exists to refuse.
 *
 * Reach and refs are rebuilt after every step of every run and almost every fact is read for its frame
 * alone, so the facts here are small classes whose path (or holder) is built only when a witness asks
 * for it — like P2mReach (p2mPath.ts) and TableRef (refs.ts). They capture the values the path is made
 * of when the fact is built (shadow entries are never mutated in place, only replaced), so a path read
 * later says what was true when the fact was computed.
 */
import { inSlice } from './shadow.ts';
import { busFrame } from '../core/iommu.ts';
import type { Hop, Principal, ReachEntry, Ref } from '../core/path.ts';
import type { State } from '../core/state.ts';
import type { ShadowEntry } from './state.ts';

/** The hop through a shadow GGTT entry. */
export function ggttHop(index: number, e: ShadowEntry): Hop {
  return { via: 'shadowGgtt', index, client: e.client, gfn: e.gfn, addrKind: e.addrKind, addr: e.addr };
}

/** The hop through a shadow PPGTT leaf. */
export function ppgttHop(owner: number, ppgtt: number, gma: number, e: ShadowEntry): Hop {
  return { via: 'shadowPpgtt', owner, ppgtt, gma, client: e.client, gfn: e.gfn, addrKind: e.addrKind, addr: e.addr };
}

/**
 * How a shadow reach fact enters the shadow tables (its first hops), and what its `index` is:
 *  - 'ggtt': the GPU through the running context's GGTT slice; the global GTT index;
 *  - 'ppgtt': the GPU through a leaf of the loaded PPGTT; the leaf's graphics memory address;
 *  - 'command': the GPU through a queued command naming a GGTT entry outside the slice; the ring slot;
 *  - 'aperture': a client's CPU through its aperture slice; the global GTT index.
 */
type Entry = 'ggtt' | 'ppgtt' | 'command' | 'aperture';

/**
 * A reach fact through a vGPU: the first hop is one of the vGPU's structures (shadow GGTT, shadow PPGTT,
 * queued command, aperture), the last the backend's IOMMU. `confinedTo` is the VM whose memory the
 * fact must stay in (gpu-reaches-only-own-vm reads it without building the path).
 */
export class ShadowReach implements ReachEntry {
  readonly write = true;
  constructor(
    readonly principal: Principal,
    readonly mfn: number,
    /** The client whose context the GPU runs, or the owner of the aperture slice. */
    readonly confinedTo: number,
    private readonly kind: Entry,
    private readonly index: number,
    private readonly e: ShadowEntry,
    /** For Ppgtt: the PPGTT; for Command: the GGTT index the command names. */
    private readonly aux: number,
    private readonly backend: number,
    /** Whether the backend's IOMMU context is the identity (a PV dom0), as translateBfn reports it. */
    private readonly identity: boolean,
  ) {}
  get path(): Hop[] {
    const e = this.e;
    const iommu: Hop = { via: 'iommu', dom: this.backend, bfn: e.addr, identity: this.identity };
    switch (this.kind) {
      case 'ggtt':
        return [ggttHop(this.index, e), iommu];
      case 'ppgtt':
        return [ppgttHop(this.confinedTo, this.aux, this.index, e), iommu];
      case 'command':
        return [{ via: 'gpuCommand', client: this.confinedTo, slot: this.index, space: 'ggtt', gma: this.aux }, ggttHop(this.aux, e), iommu];
      case 'aperture':
        return [{ via: 'aperture', dom: this.confinedTo, gma: this.index }, ggttHop(this.index, e), iommu];
    }
  }
  toJSON(): ReachEntry {
    return { principal: this.principal, mfn: this.mfn, write: this.write, path: this.path };
  }
}

/** Whether the backend's IOMMU context is the identity over RAM (translateBfn's `identity`). */
function identityIommu(state: State, backend: number): boolean {
  return state.domains[backend].kind === 'pv-dom0';
}

/** Add what the GPU reaches while running the loaded context (nothing while idle). */
export function shadowGpuReach(state: State, out: ReachEntry[]): void {
  const sh = state.gpu.shadow;
  if (sh === undefined) return;
  const running = sh.running;
  if (running === null) return;
  const client = running.client;
  const vgpu = sh.vgpus[client];
  if (vgpu === undefined) return;
  const backend = state.gpu.backend;
  const identity = identityIommu(state, backend);
  const principal: Principal = { kind: 'gpu', dom: backend, client };
  for (let k = 0; k < vgpu.vggtt.length; k++) {
    const index = vgpu.ggttBase + k;
    const e = sh.ggtt[index];
    if (e === null) continue;
    const mfn = busFrame(state, backend, e.addr);
    if (mfn !== undefined) out.push(new ShadowReach(principal, mfn, client, 'ggtt', index, e, -1, backend, identity));
  }
  const p = running.ppgtt >= 0 ? vgpu.ppgtts[running.ppgtt] : null;
  if (p !== null && p !== undefined) {
    for (let pd = 0; pd < p.pts.length; pd++) {
      const pt = p.pts[pd];
      if (pt === null) continue;
      for (let j = 0; j < pt.entries.length; j++) {
        const e = pt.entries[j];
        if (e === null) continue;
        const mfn = busFrame(state, backend, e.addr);
        if (mfn !== undefined) out.push(new ShadowReach(principal, mfn, client, 'ppgtt', pd * pt.entries.length + j, e, running.ppgtt, backend, identity));
      }
    }
  }
  for (let slot = 0; slot < vgpu.ring.length; slot++) {
    const c = vgpu.ring[slot];
    if (c.space !== 'ggtt' || inSlice(vgpu, c.gma)) continue;
    const e = sh.ggtt[c.gma];
    if (e === null || e === undefined) continue;
    const mfn = busFrame(state, backend, e.addr);
    if (mfn !== undefined) out.push(new ShadowReach(principal, mfn, client, 'command', slot, e, c.gma, backend, identity));
  }
}

/** Add what each client VM's CPU reaches through its slice of the PCI aperture (path 1 above). */
export function apertureReach(state: State, out: ReachEntry[]): void {
  const sh = state.gpu.shadow;
  if (sh === undefined) return;
  const backend = state.gpu.backend;
  const identity = identityIommu(state, backend);
  // vGPUs are keyed by domain id: index by id rather than enumerate keys (same ascending order).
  for (let dom = 0; dom < state.domains.length; dom++) {
    const vgpu = sh.vgpus[dom];
    if (vgpu === undefined || state.domains[dom].state !== 'alive') continue;
    let principal: Principal | undefined;
    for (let k = 0; k < vgpu.vggtt.length; k++) {
      const index = vgpu.ggttBase + k;
      const e = sh.ggtt[index];
      if (e === null) continue;
      const mfn = busFrame(state, backend, e.addr);
      if (mfn === undefined) continue;
      // One principal object per VM, shared by its entries, made only when it reaches something.
      principal ??= { kind: 'cpu', dom };
      out.push(new ShadowReach(principal, mfn, dom, 'aperture', index, e, -1, backend, identity));
    }
  }
}

/** A reference a shadow entry holds; its holder hop is built only when a witness asks for it. */
class ShadowRef implements Ref {
  readonly gen: number;
  readonly counted: boolean;
  constructor(
    readonly mfn: number,
    private readonly e: ShadowEntry,
    /** The VM whose PPGTT holds the leaf; -1 for a GGTT entry. */
    private readonly owner: number,
    /** The PPGTT; -1 for a GGTT entry. */
    private readonly ppgtt: number,
    /** The global GTT index, or the leaf's graphics memory address. */
    private readonly index: number,
  ) {
    this.gen = e.gen;
    this.counted = e.pinned;
  }
  get holder(): Hop {
    const e = this.e;
    return this.ppgtt < 0
      ? { via: 'shadowGgtt', index: this.index, client: e.client, gfn: e.gfn }
      : { via: 'shadowPpgtt', owner: this.owner, ppgtt: this.ppgtt, gma: this.index, client: e.client, gfn: e.gfn };
  }
  toJSON(): Ref {
    return { mfn: this.mfn, gen: this.gen, counted: this.counted, holder: this.holder };
  }
}

/**
 * Add the references shadow entries hold: a pin is counted; a raw MFN or a BFN (whose IOMMU entry
 * counts) is not. In forEachShadowEntry's order: the GGTT, then each VM's PPGTT leaves. It walks the
 * tables itself rather than through forEachShadowEntry because it runs after every step of every run,
 * and the callback's closure showed in profiles.
 */
export function shadowRefs(state: State, out: Ref[]): void {
  const sh = state.gpu.shadow;
  if (sh === undefined) return;
  const backend = state.gpu.backend;
  for (let i = 0; i < sh.ggtt.length; i++) {
    const e = sh.ggtt[i];
    if (e === null) continue;
    const mfn = busFrame(state, backend, e.addr);
    if (mfn !== undefined) out.push(new ShadowRef(mfn, e, -1, -1, i));
  }
  for (let client = 0; client < state.domains.length; client++) {
    const vgpu = sh.vgpus[client];
    if (vgpu === undefined) continue;
    const ppgtts = vgpu.ppgtts;
    for (let p = 0; p < ppgtts.length; p++) {
      const pp = ppgtts[p];
      if (pp === null) continue;
      for (let pd = 0; pd < pp.pts.length; pd++) {
        const pt = pp.pts[pd];
        if (pt === null) continue;
        for (let j = 0; j < pt.entries.length; j++) {
          const e = pt.entries[j];
          if (e === null) continue;
          const mfn = busFrame(state, backend, e.addr);
          if (mfn !== undefined) out.push(new ShadowRef(mfn, e, client, p, pd * pt.entries.length + j));
        }
      }
    }
  }
}
