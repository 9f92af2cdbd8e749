/**
 * Builds the initial world: Xen's own frames, dom0 (the toolstack, and the XenGT backend), client
 * guests the backend is target-privileged for, a guest that is nobody's client, and spare domain ids.
 */
import { domOwner, FREE, XEN } from './frames.ts';
import type { Scope } from './scope.ts';
import { domainSlots } from './scope.ts';
import type { Domain, DomainKind, DomId, Frame, State } from './state.ts';

/** What a design decides about the world it runs in. */
export interface WorldOptions {
  /** dom0's kind: a PV dom0 has the 1:1 IOMMU the 2014 lookup relies on; a PVH dom0 does not. */
  backendKind: DomainKind;
  /** Domains the backend (dom0) is target-privileged for: the XenGT clients. */
  clients: DomId[];
}

/** The default client set: dom1 and dom2 are XenGT clients; dom3 is not. */
export const DEFAULT_CLIENTS: readonly DomId[] = [1, 2];

function emptyDomain(scope: Scope, id: DomId, kind: DomainKind, alive: boolean): Domain {
  return {
    id,
    kind,
    state: alive ? 'alive' : 'none',
    maxPages: scope.maxPages,
    totPages: 0,
    p2m: new Array(scope.gfns).fill(null),
    iommu: new Array(scope.bfns).fill(null),
    targets: [],
    grants: new Array(scope.grantRefs).fill(null),
    maptrack: [],
  };
}

/** Build the initial state for a scope. Deterministic: same scope and options, same state. */
export function buildWorld(scope: Scope, opts: WorldOptions): State {
  const frames: Frame[] = [];
  for (let mfn = 0; mfn < scope.frames; mfn++) {
    frames.push({ owner: FREE, kind: 'ram', gen: 0, refcount: 0, freedAt: -1 });
  }
  for (let mfn = 0; mfn < scope.xenFrames; mfn++) {
    frames[mfn].owner = XEN;
    frames[mfn].gen = 1;
  }
  const domains: Domain[] = [];
  for (let id = 0; id < domainSlots(scope); id++) {
    domains.push(emptyDomain(scope, id, id === 0 ? opts.backendKind : 'hvm', id < scope.domains));
  }
  let next = scope.xenFrames;
  for (let id = 0; id < scope.domains; id++) {
    const d = domains[id];
    for (let gfn = 0; gfn < scope.initialPages && next < scope.frames; gfn++, next++) {
      frames[next] = { owner: domOwner(id), kind: 'ram', gen: 1, refcount: 1, freedAt: -1 };
      d.p2m[gfn] = { mfn: next, type: 'ram_rw', gen: 1, counted: true };
      d.totPages += 1;
    }
  }
  const clients = opts.clients.filter((c) => c > 0 && c < scope.domains);
  domains[0].targets = [...clients];
  const tables: Record<number, null[]> = {};
  for (const c of clients) tables[c] = new Array(scope.dmaSlots).fill(null);
  return { frames, domains, gpu: { backend: 0, tables }, clock: 0 };
}
