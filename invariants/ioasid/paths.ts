/**
 * What the IOASID invariants read off a reach path: whether it is a slice device's, which fds it walks
 * through, and the generation of the entry that finally named the frame.
 */
import type { Hop, ReachEntry } from '../../src/model/core/path.ts';
import type { State } from '../../src/model/core/state.ts';
import { findDevice } from '../../src/model/ioasid/lookup.ts';
import type { IoDevice } from '../../src/model/ioasid/state.ts';

/** The slice device a reach fact is about, or undefined (another slice's principal). */
export function ioDeviceOf(state: State, e: ReachEntry): IoDevice | undefined {
  const s = state.ioasid;
  if (s === undefined || e.principal.kind !== 'device' || e.principal.device === undefined) return undefined;
  return findDevice(s, e.principal.device);
}

/** The fds a path walks through (attachments, mappings, shadows, tables, pins, KVM), in order. */
export function fdsOf(path: readonly Hop[]): number[] {
  const out: number[] = [];
  for (const h of path) {
    if (h.via === 'ioasidAttach' || h.via === 'ioasidMap' || h.via === 'ioasidShadow' || h.via === 'ioasidGuestTable' || h.via === 'ioasidTablePage' || h.via === 'accessPin' || h.via === 'kvmPasid') out.push(h.fd);
  }
  return out;
}

/**
 * The generation at which the last entry of the path named its frame — a root mapping's, a shadow's or
 * a pin's — or undefined when the frame was named by a host address alone.
 */
export function namedGen(state: State, path: readonly Hop[]): number | undefined {
  const s = state.ioasid;
  if (s === undefined) return undefined;
  for (let i = path.length - 1; i >= 0; i--) {
    const h = path[i];
    if (h.via === 'ioasidMap') {
      const e = s.fds[h.fd]?.ioasids[h.ioasid]?.maps[h.iova];
      return e !== null && e !== undefined && e.via === 'hva' ? e.gen : undefined;
    }
    if (h.via === 'ioasidShadow') return s.fds[h.fd]?.ioasids[h.ioasid]?.shadow[h.iova]?.gen;
    if (h.via === 'accessPin') return findDevice(s, h.device)?.pins.find((p) => p.fd === h.fd && p.ioasid === h.ioasid && p.iova === h.iova)?.gen;
    if (h.via === 'ioasidTablePage' && h.addrKind === 'hpa') return undefined;
  }
  return undefined;
}

/** Whether a path carries a PASID: a vPASID attachment, a bound PASID table, or ENQCMD through KVM. */
export function pasidTagged(path: readonly Hop[]): boolean {
  return path.some((h) => (h.via === 'ioasidAttach' && h.how === 'pasid') || h.via === 'kvmPasid' || (h.via === 'ioasidGuestTable' && h.table === 'pasid'));
}
