/**
 * type-ok over the core: frames, domains, p2m and IOMMU entries, grant tables, maptrack, targets and
 * the XenGT flat DMA tables. Every id is in range and every cross-reference names a slot that exists:
 * MFNs below `frames.length`, domain ids below `domains.length` and of created domains, grant refs
 * and GFNs/BFNs inside the tables they index. Whether the slot is *live* is left to the semantic
 * invariants (end-access-fails-while-mapped, no-stale-reference): TypeOK says only that it is there.
 */
import type { Domain, P2mType, State } from '../../../src/model/core/state.ts';
import type { TypeFindings } from './check.ts';

const P2M_TYPES: readonly P2mType[] = ['ram_rw', 'ram_ro', 'mmio_direct', 'mmio_dm', 'grant_map_rw', 'grant_map_ro', 'foreign'];
const DOMAIN_STATES = ['none', 'alive', 'dying', 'dead'] as const;
const DOMAIN_KINDS = ['pv-dom0', 'pvh', 'hvm'] as const;

/** `dom` must be a domain id of a created domain (any state but 'none'). */
export function domainId(t: TypeFindings, s: State, at: string, dom: unknown): boolean {
  if (!t.index(at, dom, 0, s.domains.length, 'a domain id')) return false;
  if (s.domains[dom as number].state !== 'none') return true;
  t.bad(at, 'a domain that was created', dom);
  return false;
}

/** `mfn` must name a machine frame. */
export function frameNumber(t: TypeFindings, s: State, at: string, mfn: unknown): boolean {
  return t.index(at, mfn, 0, s.frames.length, 'an MFN');
}

function checkFrames(t: TypeFindings, s: State): void {
  s.frames.forEach((f, mfn) => {
    const at = `$.frames[${mfn}]`;
    t.member(`${at}.kind`, f.kind, ['ram', 'mmio']);
    t.natural(`${at}.gen`, f.gen);
    t.natural(`${at}.refcount`, f.refcount);
    t.member(`${at}.owner.kind`, f.owner.kind, ['dom', 'xen', 'free', 'reserved', 'io']);
    if (f.owner.kind === 'dom') domainId(t, s, `${at}.owner.dom`, f.owner.dom);
  });
}

function checkP2m(t: TypeFindings, s: State, d: Domain, at: string): void {
  d.p2m.forEach((e, gfn) => {
    if (e === null) return;
    const here = `${at}.p2m[${gfn}]`;
    frameNumber(t, s, `${here}.mfn`, e.mfn);
    t.member(`${here}.type`, e.type, P2M_TYPES);
    t.natural(`${here}.gen`, e.gen);
    if (e.grant !== undefined && domainId(t, s, `${here}.grant.granter`, e.grant.granter)) {
      t.index(`${here}.grant.ref`, e.grant.ref, 0, s.domains[e.grant.granter].grants.length, 'a grant ref of the granter');
    }
    if (e.foreign !== undefined && domainId(t, s, `${here}.foreign.dom`, e.foreign.dom)) {
      t.index(`${here}.foreign.gfn`, e.foreign.gfn, 0, s.domains[e.foreign.dom].p2m.length, 'a GFN of the target');
    }
    if (e.map !== undefined) t.index(`${here}.map.handle`, e.map.handle, 0, s.virtio?.maps.length ?? 0, 'a virtio Map handle');
  });
}

function checkIommu(t: TypeFindings, s: State, d: Domain, at: string): void {
  d.iommu.forEach((e, bfn) => {
    if (e === null) return;
    const here = `${at}.iommu[${bfn}]`;
    frameNumber(t, s, `${here}.mfn`, e.mfn);
    t.natural(`${here}.gen`, e.gen);
    const src = e.source;
    if (src.kind === 'mapForDma' && domainId(t, s, `${here}.source.dom`, src.dom)) {
      t.index(`${here}.source.gfn`, src.gfn, 0, s.domains[src.dom].p2m.length, 'a GFN of the client');
    } else if (src.kind === 'grant' && domainId(t, s, `${here}.source.granter`, src.granter)) {
      t.index(`${here}.source.ref`, src.ref, 0, s.domains[src.granter].grants.length, 'a grant ref of the granter');
    } else if (src.kind !== 'mapForDma' && src.kind !== 'grant') t.bad(`${here}.source.kind`, 'mapForDma or grant', (src as { kind: unknown }).kind);
  });
}

function checkGrantsAndMaptrack(t: TypeFindings, s: State, d: Domain, at: string): void {
  d.grants.forEach((g, ref) => {
    if (g === null) return;
    const here = `${at}.grants[${ref}]`;
    // The guest writes its own grant table: Xen checks the grantee's existence at map time, not here.
    t.index(`${here}.grantee`, g.grantee, 0, s.domains.length, 'a domain id');
    t.index(`${here}.gfn`, g.gfn, 0, d.p2m.length, "a GFN of the granter's p2m");
    t.natural(`${here}.maps`, g.maps);
  });
  d.maptrack.forEach((m, handle) => {
    if (m === null) return;
    const here = `${at}.maptrack[${handle}]`;
    if (domainId(t, s, `${here}.granter`, m.granter)) {
      t.index(`${here}.ref`, m.ref, 0, s.domains[m.granter].grants.length, 'a grant ref of the granter');
    }
    if (m.hostGfn !== -1) t.index(`${here}.hostGfn`, m.hostGfn, 0, d.p2m.length, '-1 or a GFN of the grantee');
    if (m.deviceBfn !== -1) t.index(`${here}.deviceBfn`, m.deviceBfn, 0, d.iommu.length, '-1 or a BFN of the grantee');
    if (m.hostGfn === -1 && m.deviceBfn === -1) t.bad(here, 'a host or a device mapping', m);
  });
}

function checkDomains(t: TypeFindings, s: State): void {
  s.domains.forEach((d, id) => {
    const at = `$.domains[${id}]`;
    if (d.id !== id) t.bad(`${at}.id`, `its index ${id}`, d.id);
    t.member(`${at}.state`, d.state, DOMAIN_STATES);
    t.member(`${at}.kind`, d.kind, DOMAIN_KINDS);
    t.natural(`${at}.totPages`, d.totPages);
    t.natural(`${at}.maxPages`, d.maxPages);
    d.targets.forEach((x, i) => domainId(t, s, `${at}.targets[${i}]`, x));
    checkP2m(t, s, d, at);
    checkIommu(t, s, d, at);
    checkGrantsAndMaptrack(t, s, d, at);
  });
}

function checkDmaTables(t: TypeFindings, s: State): void {
  if (!domainId(t, s, '$.gpu.backend', s.gpu.backend)) return;
  const backend = s.domains[s.gpu.backend];
  for (const [key, table] of Object.entries(s.gpu.tables)) {
    const at = `$.gpu.tables[${key}]`;
    if (!domainId(t, s, `${at} (client)`, Number(key))) continue;
    const client = s.domains[Number(key)];
    table.forEach((e, slot) => {
      if (e === null) return;
      const here = `${at}[${slot}]`;
      t.index(`${here}.gfn`, e.gfn, 0, client.p2m.length, 'a GFN of the client');
      t.natural(`${here}.gen`, e.gen);
      if (e.addrKind === 'mfn') frameNumber(t, s, `${here}.addr`, e.addr);
      // A PV dom0's IOMMU is the identity over RAM, so any BFN below the frame count is in range there.
      else if (e.addrKind === 'bfn') t.index(`${here}.addr`, e.addr, 0, backend.kind === 'pv-dom0' ? s.frames.length : backend.iommu.length, "a BFN of the backend's IOMMU");
      else t.bad(`${here}.addrKind`, 'mfn or bfn', e.addrKind);
    });
  }
}

/** The core's type-ok checks. */
export function coreTypeOk(t: TypeFindings, s: State): void {
  t.natural('$.clock', s.clock);
  checkFrames(t, s);
  checkDomains(t, s);
  checkDmaTables(t, s);
}
