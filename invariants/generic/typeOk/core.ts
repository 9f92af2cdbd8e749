/**
 * type-ok over the core: frames, domains, p2m and IOMMU entries, grant tables, maptrack, targets and
 * the XenGT flat DMA tables. Every id is in range and every cross-reference names a slot that exists:
 * MFNs below `frames.length`, domain ids below `domains.length` and of created domains, grant refs
 * and GFNs/BFNs inside the tables they index. Whether the slot is *live* is left to the semantic
 * invariants (end-access-fails-while-mapped, no-stale-reference): TypeOK says only that it is there.
 * String-valued kinds (frame kind, owner kind, p2m type, domain state) are left to TypeScript, which
 * already rules out values outside their unions; TLA+ checks them at run time only for want of types.
 */
import type { Domain, State } from '../../../src/model/core/state.ts';
import type { TypeFindings } from './check.ts';
import { isDomain, isFrame, isIndex, isNatural } from './check.ts';


function checkFrames(t: TypeFindings, s: State): void {
  for (let mfn = 0; mfn < s.frames.length; mfn++) {
    const f = s.frames[mfn];
    if (!isNatural(f.gen)) t.bad(`$.frames[${mfn}].gen`, 'a non-negative integer', f.gen);
    if (!isNatural(f.refcount)) t.bad(`$.frames[${mfn}].refcount`, 'a non-negative integer', f.refcount);
    if (f.typeCount !== undefined && !isNatural(f.typeCount)) t.bad(`$.frames[${mfn}].typeCount`, 'a non-negative integer', f.typeCount);
    if (f.owner.kind === 'dom' && !isDomain(s, f.owner.dom)) t.badDomain(`$.frames[${mfn}].owner.dom`, f.owner.dom);
  }
}

/** Whether `ref` is a grant ref of `granter`'s table (the granter itself must be a created domain). */
function isGrantRef(s: State, granter: number, ref: unknown): boolean {
  return isIndex(ref, s.domains[granter].grants.length);
}

function checkP2m(t: TypeFindings, s: State, d: Domain): void {
  for (let gfn = 0; gfn < d.p2m.length; gfn++) {
    const e = d.p2m[gfn];
    if (e === null) continue;
    if (!isFrame(s, e.mfn)) t.badFrame(s, `$.domains[${d.id}].p2m[${gfn}].mfn`, e.mfn);
    if (!isNatural(e.gen)) t.bad(`$.domains[${d.id}].p2m[${gfn}].gen`, 'a non-negative integer', e.gen);
    const g = e.grant;
    if (g !== undefined) {
      if (!isDomain(s, g.granter)) t.badDomain(`$.domains[${d.id}].p2m[${gfn}].grant.granter`, g.granter);
      else if (!isGrantRef(s, g.granter, g.ref)) t.badIndex(`$.domains[${d.id}].p2m[${gfn}].grant.ref`, 'a grant ref of the granter', s.domains[g.granter].grants.length, g.ref);
    }
    const x = e.foreign;
    if (x !== undefined) {
      if (!isDomain(s, x.dom)) t.badDomain(`$.domains[${d.id}].p2m[${gfn}].foreign.dom`, x.dom);
      else if (!isIndex(x.gfn, s.domains[x.dom].p2m.length)) t.badIndex(`$.domains[${d.id}].p2m[${gfn}].foreign.gfn`, 'a GFN of the target', s.domains[x.dom].p2m.length, x.gfn);
    }
    const maps = s.virtio?.maps.length ?? 0;
    if (e.map !== undefined && !isIndex(e.map.handle, maps)) t.badIndex(`$.domains[${d.id}].p2m[${gfn}].map.handle`, 'a virtio Map handle', maps, e.map.handle);
  }
}

function checkIommu(t: TypeFindings, s: State, d: Domain): void {
  for (let bfn = 0; bfn < d.iommu.length; bfn++) {
    const e = d.iommu[bfn];
    if (e === null) continue;
    if (!isFrame(s, e.mfn)) t.badFrame(s, `$.domains[${d.id}].iommu[${bfn}].mfn`, e.mfn);
    if (!isNatural(e.gen)) t.bad(`$.domains[${d.id}].iommu[${bfn}].gen`, 'a non-negative integer', e.gen);
    const src = e.source;
    if (src.kind === 'mapForDma') {
      if (!isDomain(s, src.dom)) t.badDomain(`$.domains[${d.id}].iommu[${bfn}].source.dom`, src.dom);
      else if (!isIndex(src.gfn, s.domains[src.dom].p2m.length)) t.badIndex(`$.domains[${d.id}].iommu[${bfn}].source.gfn`, 'a GFN of the client', s.domains[src.dom].p2m.length, src.gfn);
    } else if (src.kind === 'grant') {
      if (!isDomain(s, src.granter)) t.badDomain(`$.domains[${d.id}].iommu[${bfn}].source.granter`, src.granter);
      else if (!isGrantRef(s, src.granter, src.ref)) t.badIndex(`$.domains[${d.id}].iommu[${bfn}].source.ref`, 'a grant ref of the granter', s.domains[src.granter].grants.length, src.ref);
    } else t.bad(`$.domains[${d.id}].iommu[${bfn}].source.kind`, 'mapForDma | grant', (src as { kind: unknown }).kind);
  }
}

function checkGrantsAndMaptrack(t: TypeFindings, s: State, d: Domain): void {
  for (let ref = 0; ref < d.grants.length; ref++) {
    const g = d.grants[ref];
    if (g === null) continue;
    // The guest writes its own grant table: Xen checks the grantee's existence at map time, not here.
    if (!isIndex(g.grantee, s.domains.length)) t.badIndex(`$.domains[${d.id}].grants[${ref}].grantee`, 'a domain id', s.domains.length, g.grantee);
    if (!isIndex(g.gfn, d.p2m.length)) t.badIndex(`$.domains[${d.id}].grants[${ref}].gfn`, "a GFN of the granter's p2m", d.p2m.length, g.gfn);
    if (!isNatural(g.maps)) t.bad(`$.domains[${d.id}].grants[${ref}].maps`, 'a non-negative integer', g.maps);
    for (const k of ['hostRw', 'hostRo', 'devRw', 'devRo'] as const) {
      if (!isNatural(g.pin?.[k])) t.bad(`$.domains[${d.id}].grants[${ref}].pin.${k}`, 'a non-negative integer', g.pin?.[k]);
    }
    if (g.mfn !== -1 && !isFrame(s, g.mfn)) t.badFrame(s, `$.domains[${d.id}].grants[${ref}].mfn`, g.mfn);
  }
  for (let handle = 0; handle < d.maptrack.length; handle++) {
    const m = d.maptrack[handle];
    if (m === null) continue;
    if (!isDomain(s, m.granter)) t.badDomain(`$.domains[${d.id}].maptrack[${handle}].granter`, m.granter);
    else if (!isGrantRef(s, m.granter, m.ref)) t.badIndex(`$.domains[${d.id}].maptrack[${handle}].ref`, 'a grant ref of the granter', s.domains[m.granter].grants.length, m.ref);
    if (m.hostGfn !== -1 && !isIndex(m.hostGfn, d.p2m.length)) t.badIndex(`$.domains[${d.id}].maptrack[${handle}].hostGfn`, '-1 or a GFN of the grantee', d.p2m.length, m.hostGfn);
    if (m.deviceBfn !== -1 && !isIndex(m.deviceBfn, d.iommu.length)) t.badIndex(`$.domains[${d.id}].maptrack[${handle}].deviceBfn`, '-1 or a BFN of the grantee', d.iommu.length, m.deviceBfn);
    if (m.hostGfn === -1 && m.deviceBfn === -1) t.bad(`$.domains[${d.id}].maptrack[${handle}]`, 'a host or a device mapping', m);
  }
}

function checkDomains(t: TypeFindings, s: State): void {
  for (let id = 0; id < s.domains.length; id++) {
    const d = s.domains[id];
    if (d.id !== id) t.bad(`$.domains[${id}].id`, `its index ${id}`, d.id);
    if (!isNatural(d.totPages)) t.bad(`$.domains[${id}].totPages`, 'a non-negative integer', d.totPages);
    if (!isNatural(d.maxPages)) t.bad(`$.domains[${id}].maxPages`, 'a non-negative integer', d.maxPages);
    for (let i = 0; i < d.targets.length; i++) if (!isDomain(s, d.targets[i])) t.badDomain(`$.domains[${id}].targets[${i}]`, d.targets[i]);
    checkP2m(t, s, d);
    checkIommu(t, s, d);
    checkGrantsAndMaptrack(t, s, d);
  }
}

function checkDmaTables(t: TypeFindings, s: State): void {
  const b = s.gpu.backend;
  if (!isDomain(s, b)) return t.badDomain('$.gpu.backend', b);
  // A PV dom0's IOMMU is the identity over RAM, so any BFN below the frame count is in range there.
  const bfns = s.domains[b].kind === 'pv-dom0' ? s.frames.length : s.domains[b].iommu.length;
  for (let client = 0; client < s.domains.length; client++) {
    const table = s.gpu.tables[client];
    if (table === undefined) continue;
    const gfns = s.domains[client].p2m.length;
    for (let slot = 0; slot < table.length; slot++) {
      const e = table[slot];
      if (e === null) continue;
      if (!isIndex(e.gfn, gfns)) t.badIndex(`$.gpu.tables[${client}][${slot}].gfn`, 'a GFN of the client', gfns, e.gfn);
      if (!isNatural(e.gen)) t.bad(`$.gpu.tables[${client}][${slot}].gen`, 'a non-negative integer', e.gen);
      if (e.addrKind === 'mfn') {
        if (!isFrame(s, e.addr)) t.badFrame(s, `$.gpu.tables[${client}][${slot}].addr`, e.addr);
      } else if (e.addrKind === 'bfn') {
        if (!isIndex(e.addr, bfns)) t.badIndex(`$.gpu.tables[${client}][${slot}].addr`, "a BFN of the backend's IOMMU", bfns, e.addr);
      } else t.bad(`$.gpu.tables[${client}][${slot}].addrKind`, 'mfn | bfn', e.addrKind);
    }
  }
  for (const key of Object.keys(s.gpu.tables)) if (!isDomain(s, Number(key))) t.badDomain(`$.gpu.tables[${key}] (client)`, key);
}

/** The core's type-ok checks. */
export function coreTypeOk(t: TypeFindings, s: State): void {
  if (!isNatural(s.clock)) t.bad('$.clock', 'a non-negative integer', s.clock);
  checkFrames(t, s);
  checkDomains(t, s);
  checkDmaTables(t, s);
}
