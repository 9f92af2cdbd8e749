/**
 * Xen's active grant entry (xen/common/grant_table.c, `struct active_grant_entry`): the pin counts,
 * one per kind of mapping half (GNTPIN_hstw/hstr/devw/devr), and the frame fixed at first pin
 * (`act->mfn`). map_grant_ref adds the halves it maps, unmap_common_complete takes away the halves it
 * unmapped, and gnttab_release_mappings takes away whatever a dying grantee still held. A pin counter
 * is 8 bits wide (GNTPIN_cntr_width); map_grant_ref refuses an increment once a counter's top bit is
 * set (`act->pin & GNTPIN_incr2oflow_mask(pin_incr)`), so a counter never wraps.
 */
import type { GrantEntry, GrantPins } from './state.ts';

/** Which pin counter a mapping half moves: the half (host or device) and whether it is writable. */
export type PinKind = keyof GrantPins;

/** Xen's GNTPIN_cntr_width: bits per pin counter. */
export const GNTPIN_CNTR_WIDTH = 8;

/** The top bit of a counter: once set, map_grant_ref refuses to add to that counter. */
export const GNTPIN_OFLOW_BIT = 1 << (GNTPIN_CNTR_WIDTH - 1);

/** The four pin kinds, in Xen's bit order (hstw, hstr, devw, devr). */
export const PIN_KINDS: readonly PinKind[] = ['hostRw', 'hostRo', 'devRw', 'devRo'];

/** All-zero pins: a grant nobody maps. */
export function noPins(): GrantPins {
  return { hostRw: 0, hostRo: 0, devRw: 0, devRo: 0 };
}

/** The pin counter a half moves. */
export function pinKind(half: 'host' | 'device', readonly: boolean): PinKind {
  if (half === 'host') return readonly ? 'hostRo' : 'hostRw';
  return readonly ? 'devRo' : 'devRw';
}

/** The pin kinds a map of these halves adds (Xen's `pin_incr`); empty when neither half is asked for. */
export function pinIncrement(host: boolean, device: boolean, readonly: boolean): PinKind[] {
  const out: PinKind[] = [];
  if (host) out.push(pinKind('host', readonly));
  if (device) out.push(pinKind('device', readonly));
  return out;
}

/** Whether the grant is pinned at all (`act->pin != 0`). */
export function isPinned(g: GrantEntry): boolean {
  const p = g.pin;
  return p.hostRw + p.hostRo + p.devRw + p.devRo > 0;
}

/** Whether the grant is pinned writably by either half (`act->pin & (GNTPIN_hstw_mask | GNTPIN_devw_mask)`). */
export function isWritePinned(g: GrantEntry): boolean {
  return g.pin.hostRw + g.pin.devRw > 0;
}

/** Whether adding `kinds` would overflow a counter: Xen refuses when any of them already has its top bit set. */
export function pinWouldOverflow(g: GrantEntry, kinds: readonly PinKind[]): boolean {
  return kinds.some((k) => (g.pin[k] & GNTPIN_OFLOW_BIT) !== 0);
}
