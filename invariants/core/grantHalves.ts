/**
 * The grant mapping halves that exist, read from the grantees' maptracks and tables: what the grant
 * invariants count pins, type references and handles against.
 */
import type { PinKind } from '../../src/model/core/grantActive.ts';
import { pinKind } from '../../src/model/core/grantActive.ts';
import type { DomId, State } from '../../src/model/core/state.ts';

/** One live half of a grant mapping. */
export interface LiveHalf {
  grantee: DomId;
  handle: number;
  granter: DomId;
  ref: number;
  half: 'host' | 'device';
  readonly: boolean;
  /** The frame its table entry maps, or -1 when the entry the handle names is gone. */
  mfn: number;
  kind: PinKind;
}

/** Every half named by a maptrack handle, in grantee, handle, host-then-device order. */
export function liveHalves(state: State): LiveHalf[] {
  const out: LiveHalf[] = [];
  for (const d of state.domains) {
    for (let handle = 0; handle < d.maptrack.length; handle++) {
      const m = d.maptrack[handle];
      if (m === null) continue;
      const base = { grantee: d.id, handle, granter: m.granter, ref: m.ref, readonly: m.readonly };
      if (m.hostGfn >= 0) out.push({ ...base, half: 'host', mfn: d.p2m[m.hostGfn]?.mfn ?? -1, kind: pinKind('host', m.readonly) });
      if (m.deviceBfn >= 0) out.push({ ...base, half: 'device', mfn: d.iommu[m.deviceBfn]?.mfn ?? -1, kind: pinKind('device', m.readonly) });
    }
  }
  return out;
}

/** Key of a grant: granter and reference. */
export function grantKey(granter: DomId, ref: number): string {
  return `${granter}:${ref}`;
}
