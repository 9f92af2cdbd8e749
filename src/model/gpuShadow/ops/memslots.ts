/**
 * KVM memslot updates issued by the VMM (KVM_SET_USER_MEMORY_REGION): changing a slot's flags
 * (KVM_MR_FLAGS_ONLY — QEMU turns dirty logging on for migration and VGA) and moving a slot to another
 * GFN range (KVM_MR_MOVE). Page-track counters live in the slot; the patch set's v2 changelog (seed
 * 002) fixed "the track memory of memslot is freed if we only move the memslot or change the flags of
 * memslot". Knob `keepTrackOnSlotUpdate=false` restores that v1 behaviour.
 * Before a move KVM flushes the slot: the device model's `track_flush_slot` drops what it built from it.
 */
import { isAlive, pickFrom } from '../../core/lookup.ts';
import { slotHasTracking } from '../pageTrack.ts';
import type { State } from '../../core/state.ts';
import type { Memslot } from '../pageTrackState.ts';
import { flushSlot } from './deviceModel.ts';
import type { ShadowResolver } from './shadowResolver.ts';
import type { OpContext } from '../../core/op.ts';
import { defineOp, fail, OK } from '../../core/op.ts';
import { gpuShadowConfig } from '../knobs.ts';

/** A VM's memslot by index, if the VM is tracked and has it. */
export function memslot(state: State, dom: number, slot: number): Memslot | undefined {
  return state.pageTrack?.vms[dom]?.memslots[slot];
}

/**
 * Bases a slot may move to: its whole range inside the GFN space, overlapping no memslot (itself
 * included) and holding no guest memory yet.
 */
export function moveDestinations(state: State, dom: number, slot: number): number[] {
  const vm = state.pageTrack?.vms[dom];
  const s = vm?.memslots[slot];
  if (vm === undefined || s === undefined) return [];
  const p2m = state.domains[dom].p2m;
  const out: number[] = [];
  for (let base = 0; base + s.npages <= p2m.length; base++) {
    const overlaps = vm.memslots.some((o) => base < o.base + o.npages && o.base < base + s.npages);
    if (overlaps) continue;
    let empty = true;
    for (let g = base; g < base + s.npages && empty; g++) empty = p2m[g] === null;
    if (empty) out.push(base);
  }
  return out;
}

/** v1 of the patch set freed the track array along with the old slot: tracking lost. */
function afterSlotUpdate(s: Memslot, ctx: OpContext): void {
  if (!gpuShadowConfig(ctx.knobs).keepTrackOnSlotUpdate) s.writeTrack.fill(0);
}

/** Resolve (dom, slot) for a generated memslot update. */
function resolveSlot(state: State, dom: number, slot: number): { dom: number; slot: number } | null {
  return isAlive(state, dom) && memslot(state, dom, slot) !== undefined ? { dom, slot } : null;
}

/** The VMM toggles a memslot's dirty-logging flag (KVM_MR_FLAGS_ONLY). */
export const memslotSetFlags = defineOp({
  name: 'memslotSetFlags',
  actor: 'toolstack',
  weight: 1,
  doc: "VMM toggles KVM_MEM_LOG_DIRTY_PAGES on dom's memslot slot (KVM_MR_FLAGS_ONLY); the slot's write-track counters must survive",
  gen: { dom: { kind: 'dom' }, slot: { kind: 'int', max: () => 1 } },
  resolve: (state, raw) => resolveSlot(state, raw.dom, raw.slot),
  enabled: (state, a) => isAlive(state, a.dom),
  apply(state, { dom, slot }, ctx) {
    if (!isAlive(state, dom)) return fail('ESRCH');
    const s = memslot(state, dom, slot);
    if (s === undefined) return fail('EINVAL');
    if (slotHasTracking(s)) ctx.note('memslot-flags-changed-under-tracking');
    s.dirtyLog = !s.dirtyLog;
    afterSlotUpdate(s, ctx);
    return OK;
  },
});

/** The VMM moves a memslot to another GFN range (KVM_MR_MOVE); its memory and its counters go with it. */
export function makeMemslotMove(r: ShadowResolver) {
  return defineOp({
    name: 'memslotMove',
    actor: 'toolstack',
    weight: 1,
    doc: "VMM moves dom's memslot slot to start at GFN base (KVM_MR_MOVE); KVM flushes the slot first, then the guest memory and the write-track counters move with it",
    gen: { dom: { kind: 'dom' }, slot: { kind: 'int', max: () => 1 }, base: { kind: 'pick' } },
    resolve(state, raw) {
      const at = resolveSlot(state, raw.dom, raw.slot);
      if (at === null) return null;
      const base = pickFrom(moveDestinations(state, at.dom, at.slot), raw.base);
      return base === undefined ? null : { ...at, base };
    },
    enabled: (state, a) => isAlive(state, a.dom),
    apply(state, { dom, slot, base }, ctx) {
      if (!isAlive(state, dom)) return fail('ESRCH');
      const s = memslot(state, dom, slot);
      if (s === undefined) return fail('EINVAL');
      if (!moveDestinations(state, dom, slot).includes(base)) return fail('EEXIST');
      if (slotHasTracking(s)) ctx.note('memslot-moved-under-tracking');
      // kvm_arch_flush_shadow_memslot → track_flush_slot, while the old range is still there to untrack.
      flushSlot(state, r, dom, s.base, s.npages, ctx);
      const p2m = state.domains[dom].p2m;
      for (let k = 0; k < s.npages; k++) {
        p2m[base + k] = p2m[s.base + k];
        p2m[s.base + k] = null;
      }
      s.base = base;
      afterSlotUpdate(s, ctx);
      return OK;
    },
  });
}
