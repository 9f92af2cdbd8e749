/**
 * KVM memslot updates issued by the VMM (KVM_SET_USER_MEMORY_REGION): changing a slot's flags
 * (KVM_MR_FLAGS_ONLY — QEMU turns dirty logging on for migration and VGA), moving a slot to another
 * GFN range (KVM_MR_MOVE) and deleting one (KVM_MR_DELETE). Page-track counters live in the slot; the
 * patch set's v2 changelog (seed 002) fixed "the track memory of memslot is freed if we only move the
 * memslot or change the flags of memslot" — knob `keepTrackOnSlotUpdate=false` restores v1 for a flags
 * change. Today's KVM gives a moved slot fresh metadata, and refuses the move while KVMGT is attached.
 */
import { isAlive, pickFrom } from '../../core/lookup.ts';
import { slotHasTracking } from '../pageTrack.ts';
import type { State } from '../../core/state.ts';
import type { Memslot } from '../pageTrackState.ts';
import { flushSlot } from './deviceModel.ts';
import { putRef } from '../../core/frames.ts';
import { protectRemoveRegion } from '../protectTable.ts';
import { isMirrored } from '../shadow.ts';
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

/** v1 of the patch set freed the track array on a flags-only update: tracking lost. */
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

/**
 * What the device model does as KVM removes the memslot over [base, base + npages) from the VM — a
 * delete, or a move where KVM allows one. KVMGT's `kvmgt_page_track_remove_region` only forgets the
 * range's protect-table entries: its shadows, and the pins their entries hold, stay (KGT-04). With
 * `vmmRemoval=drop-shadows` (a proposal) it also drops every shadow built from the range.
 */
function deviceModelRemovesRegion(state: State, r: ShadowResolver, dom: number, base: number, npages: number, ctx: OpContext): void {
  if (gpuShadowConfig(ctx.knobs).vmmRemoval === 'drop-shadows') flushSlot(state, r, dom, base, npages, ctx);
  if (protectRemoveRegion(state, dom, base, npages) > 0) ctx.note('protect-table-entries-removed-under-shadows');
}

/** Whether some shadow of the VM still mirrors a page in [base, base + npages): a stale shadow in the making. */
function shadowsInRange(state: State, dom: number, base: number, npages: number): boolean {
  for (let g = base; g < base + npages; g++) if (isMirrored(state, dom, g)) return true;
  return false;
}

/**
 * The VMM moves a memslot to another GFN range (KVM_MR_MOVE). Today's KVM refuses while an external
 * page-track user — KVMGT — is registered (kvm_arch_prepare_memory_region: -EINVAL); with
 * `slotMove=fresh-metadata` (KVM 2021–2023) the device model is told of the old range, the memory
 * moves, and the slot gets new, zeroed write-track counters (kvm_alloc_memslot_metadata).
 */
export function makeMemslotMove(r: ShadowResolver) {
  return defineOp({
    name: 'memslotMove',
    actor: 'toolstack',
    weight: 1,
    doc: "VMM moves dom's memslot slot to start at GFN base (KVM_MR_MOVE): refused while KVMGT's notifier is registered (today's KVM); with slotMove=fresh-metadata the memory moves and the slot's write-track counters start at zero",
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
      // kvm_page_track_has_external_user: KVMGT's notifier is on the VM's list.
      if (gpuShadowConfig(ctx.knobs).slotMove === 'refused' && state.pageTrack!.vms[dom].notifiers.length > 0) return fail('EINVAL');
      if (slotHasTracking(s) || shadowsInRange(state, dom, s.base, s.npages)) ctx.note('memslot-moved-under-tracking');
      deviceModelRemovesRegion(state, r, dom, s.base, s.npages, ctx);
      const p2m = state.domains[dom].p2m;
      for (let k = 0; k < s.npages; k++) {
        p2m[base + k] = p2m[s.base + k];
        p2m[s.base + k] = null;
      }
      s.base = base;
      // The moved slot's page-track metadata is allocated afresh: nothing is tracked in it.
      s.writeTrack.fill(0);
      return OK;
    },
  });
}

/**
 * The VMM deletes a memslot (KVM_MR_DELETE) and gives its RAM back: KVM calls the page-track users'
 * `track_remove_region` (kvm_arch_commit_memory_region → kvm_page_track_delete_slot) and frees the
 * slot with its counters; each GFN of the range leaves the guest, its frame freed on the last put — a
 * page vfio still pins stays allocated, with no GFN, until it is unpinned.
 */
export function makeMemslotDelete(r: ShadowResolver) {
  return defineOp({
    name: 'memslotDelete',
    actor: 'toolstack',
    weight: 1,
    doc: "VMM deletes dom's memslot slot (KVM_MR_DELETE) and frees its RAM; KVMGT's track_remove_region forgets the range's protect-table entries, its shadows and pins stay",
    gen: { dom: { kind: 'dom' }, slot: { kind: 'int', max: () => 1 } },
    resolve: (state, raw) => resolveSlot(state, raw.dom, raw.slot),
    enabled: (state, a) => isAlive(state, a.dom),
    apply(state, { dom, slot }, ctx) {
      if (!isAlive(state, dom)) return fail('ESRCH');
      const s = memslot(state, dom, slot);
      if (s === undefined) return fail('EINVAL');
      if (slotHasTracking(s) || shadowsInRange(state, dom, s.base, s.npages)) ctx.note('memslot-deleted-under-tracking');
      deviceModelRemovesRegion(state, r, dom, s.base, s.npages, ctx);
      const p2m = state.domains[dom].p2m;
      for (let g = s.base; g < s.base + s.npages; g++) {
        const e = p2m[g];
        if (e === null || e === undefined) continue;
        p2m[g] = null;
        if (e.counted) putRef(state, e.mfn);
      }
      state.pageTrack!.vms[dom].memslots.splice(slot, 1);
      return OK;
    },
  });
}
