/**
 * The path steps of the GPU-shadowing slice: shadow GGTT and PPGTT entries (with what they translate,
 * when a reach path names them), the pages the device model mirrors, queued commands, the aperture and
 * KVM's memslots.
 */
import type { DmaTableEntry, DomId } from '../core/state.ts';

/** Shadow GGTT entry `index`: `client`'s `gfn` → `addrKind` `addr`, when a path says what it translates; `slice` the VM whose slice it is in. */
export interface ShadowGgttHop {
  readonly via: 'shadowGgtt';
  readonly index: number;
  readonly client?: DomId;
  readonly gfn?: number;
  readonly addrKind?: DmaTableEntry['addrKind'];
  readonly addr?: number;
  readonly slice?: DomId | -1;
}

/** The leaf at graphics memory address `gma` of PPGTT `ppgtt` of VM `owner`. */
export interface ShadowPpgttHop {
  readonly via: 'shadowPpgtt';
  readonly owner: DomId;
  readonly ppgtt: number;
  readonly gma: number;
  readonly client?: DomId;
  readonly gfn?: number;
  readonly addrKind?: DmaTableEntry['addrKind'];
  readonly addr?: number;
}

/** A guest page the device model mirrors: a PPGTT's root page (`pd` -1) or the page table of PD entry `pd`. */
export interface MirroredPageHop {
  readonly via: 'shadowPpgttRoot' | 'shadowPt';
  readonly ppgtt: number;
  readonly pd: number;
  readonly gfn: number;
}

/** Queued command `slot` of `client`, naming `gma` in address space `space`. */
export interface GpuCommandHop {
  readonly via: 'gpuCommand';
  readonly client: DomId;
  readonly slot: number;
  readonly space: 'ggtt' | 'ppgtt';
  readonly gma: number;
}

/** `dom`'s CPU access through its slice of the PCI aperture at `gma`. */
export interface ApertureHop {
  readonly via: 'aperture';
  readonly dom: DomId;
  readonly gma: number;
}

/** The write-track counter of `gfn` in the memslot at `base` (no `base`: in no memslot). */
export interface MemslotHop {
  readonly via: 'memslot';
  readonly base?: number;
  readonly gfn: number;
}

/** This slice's hops, by `via` (merged into the core's HopKinds in src/model/slices.ts). */
export interface GpuShadowHops {
  shadowGgtt: ShadowGgttHop;
  shadowPpgtt: ShadowPpgttHop;
  shadowPpgttRoot: MirroredPageHop & { readonly via: 'shadowPpgttRoot' };
  shadowPt: MirroredPageHop & { readonly via: 'shadowPt' };
  gpuCommand: GpuCommandHop;
  aperture: ApertureHop;
  memslot: MemslotHop;
}
