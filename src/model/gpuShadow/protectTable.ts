/**
 * KVMGT's protect table (torvalds/linux drivers/gpu/drm/i915/gvt/kvmgt.c): the guest pages a vGPU has
 * write-tracked with KVM. `intel_gvt_page_track_add` asks `kvmgt_gfn_is_write_protected` first and
 * calls `kvm_write_track_add_gfn` only for a page not yet in the table; `intel_gvt_page_track_remove`
 * does nothing for a page not in it. So KVMGT adds at most one to KVM's counter of a page, whatever the
 * number of shadows mirroring it, and never takes it below zero. `kvmgt_page_track_remove_region`
 * (KVM's memslot-delete hook) only deletes table entries: the shadows built from the range stay.
 * The functions here read and edit the table alone; the device model (ops/deviceModel.ts) calls KVM.
 */
import type { State } from '../core/state.ts';
import type { ProtectEntry } from './state.ts';

/** A vGPU's protect table, or undefined when its device model tracks once per shadow structure. */
export function protectTableOf(state: State, client: number): ProtectEntry[] | undefined {
  return state.gpu.shadow?.vgpus[client]?.protect;
}

/** Where `gfn` is in the table (-1: not write-protected by this vGPU). */
export function protectIndex(table: readonly ProtectEntry[], gfn: number): number {
  for (let i = 0; i < table.length; i++) if (table[i].gfn === gfn) return i;
  return -1;
}

/** kvmgt_gfn_is_write_protected. */
export function isWriteProtected(state: State, client: number, gfn: number): boolean {
  const table = protectTableOf(state, client);
  return table !== undefined && protectIndex(table, gfn) >= 0;
}

/**
 * One more shadow structure of the vGPU mirrors `gfn`. True when the page was already in the table —
 * KVM is not called (`kvmgt_gfn_is_write_protected` → 0); false when the caller must track it with KVM
 * first and then `protectAdd` it.
 */
export function protectShare(table: ProtectEntry[], gfn: number): boolean {
  const at = protectIndex(table, gfn);
  if (at < 0) return false;
  table[at] = { gfn, users: table[at].users + 1 };
  return true;
}

/** kvmgt_protect_table_add, after KVM tracked the page. */
export function protectAdd(table: ProtectEntry[], gfn: number): void {
  table.push({ gfn, users: 1 });
}

/**
 * One shadow structure of the vGPU stops mirroring `gfn`. 'absent': the page is not in the table, so
 * KVM is not called (KGT-02); 'shared': other structures still mirror it; 'last': the entry is
 * deleted (kvmgt_protect_table_del) and the caller untracks the page with KVM.
 */
export function protectRelease(table: ProtectEntry[], gfn: number): 'absent' | 'shared' | 'last' {
  const at = protectIndex(table, gfn);
  if (at < 0) return 'absent';
  const users = table[at].users;
  if (users > 1) {
    table[at] = { gfn, users: users - 1 };
    return 'shared';
  }
  table.splice(at, 1);
  return 'last';
}

/**
 * kvmgt_page_track_remove_region: KVM is deleting (or, before 2023, moving) the memslot over
 * [base, base + npages); the table forgets its pages there. Nothing else changes — not KVM's counters
 * (the slot's metadata goes with it), not the shadows, not the pins. Answers how many entries went.
 */
export function protectRemoveRegion(state: State, client: number, base: number, npages: number): number {
  const table = protectTableOf(state, client);
  if (table === undefined) return 0;
  let removed = 0;
  for (let i = table.length - 1; i >= 0; i--) {
    if (table[i].gfn >= base && table[i].gfn < base + npages) {
      table.splice(i, 1);
      removed++;
    }
  }
  return removed;
}
