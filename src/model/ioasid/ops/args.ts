/**
 * How IOASID ops turn generated picks into explicit arguments: fds, IOASIDs and devices are drawn from
 * what exists now (Hypothesis's bundles), so most generated actions are applicable even after shrinking.
 */
import { pickFrom } from '../../core/lookup.ts';
import type { State } from '../../core/state.ts';
import { liveIoasids, openFds } from '../lookup.ts';
import type { IoasidState, IoDevice } from '../state.ts';

/** The VMM processes of the world: every domain but the toolstack's dom0. */
export function isVmm(state: State, dom: number): boolean {
  return dom > 0 && state.domains[dom]?.state === 'alive';
}

/** An open fd, or undefined when none is. */
export function pickFd(s: IoasidState, pick: number): number | undefined {
  return pickFrom(openFds(s), pick);
}

/** A live IOASID of `fd` (or -1 for none, so an op's refusal path on a missing IOASID is drawn too). */
export function pickIoasid(s: IoasidState, fd: number, pick: number): number {
  return pickFrom(liveIoasids(s, fd), pick) ?? -1;
}

/** A device, optionally of those matching `which`. */
export function pickDevice(s: IoasidState, pick: number, which: (d: IoDevice) => boolean = () => true): IoDevice | undefined {
  return pickFrom(s.devices.filter(which), pick);
}

/** Resolve a generated (fd, ioasid) pair: a live fd and one of its IOASIDs, or nothing without an fd. */
export function resolveFdIoasid(state: State, raw: { fd: number; ioasid: number }): { fd: number; ioasid: number } | null {
  const s = state.ioasid;
  const fd = s === undefined ? undefined : pickFd(s, raw.fd);
  return s === undefined || fd === undefined ? null : { fd, ioasid: pickIoasid(s, fd, raw.ioasid) };
}
