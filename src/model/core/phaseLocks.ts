/**
 * Which lock each core op takes, as data: the p2m lock of the domain whose p2m (or maptrack, kept
 * beside it) it changes — Xen's `p2m_lock`, taken by populate_physmap, decrease_reservation, the
 * grant map/unmap of a host mapping and a foreign map. A phased op that holds a domain's p2m lock
 * across its preemptions (phase.ts `Pause.holds`) then keeps every one of these off that domain until
 * it finishes: the runner does not schedule them (`schedulable`).
 */
import type { ArgRecord, OpDef } from './op.ts';
import type { LockName } from './phase.ts';
import { p2mLock } from './phase.ts';

/** Core op name → the argument naming the domain whose p2m lock it takes. */
export const P2M_LOCK_ARG: Readonly<Record<string, string>> = Object.freeze({
  populatePhysmap: 'dom',
  decreaseReservation: 'dom',
  mapGrant: 'grantee',
  unmapGrant: 'grantee',
  mapForeign: 'caller',
  unmapForeign: 'caller',
});

/** The locks a core op's action takes, by the table above (none for ops it does not name). */
export function coreOpLocks(op: string, args: ArgRecord): readonly LockName[] {
  const arg = P2M_LOCK_ARG[op];
  if (arg === undefined) return [];
  const dom = args[arg];
  return typeof dom === 'number' ? [p2mLock(dom)] : [];
}

/** `ops` with the locks of the table declared on each op it names (an op that declares its own keeps them). */
export function withCoreLocks(ops: readonly OpDef[]): OpDef[] {
  return ops.map((op) => (op.locks !== undefined || P2M_LOCK_ARG[op.name] === undefined ? op : { ...op, locks: (_s, a) => coreOpLocks(op.name, a) }));
}
