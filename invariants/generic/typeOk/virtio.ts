/**
 * type-ok over the virtio-GPU slice: the backend and frontend are domains, every Map's provider,
 * recipient, frame and GFN exist and its parent is -1 or a Map slot, and every in-flight hypercall and
 * DMA, IOREQ, fault range, iomem capability and stolen record names frames and GFNs that exist.
 */
import type { State } from '../../../src/model/core/state.ts';
import type { TypeFindings } from './check.ts';
import { isDomain, isFrame, isIndex } from './check.ts';

/** A GFN of `dom`'s p2m, `dom` being a created domain. */
function checkGfn(t: TypeFindings, s: State, at: string, dom: number, gfn: number): void {
  if (!isDomain(s, dom)) return t.badDomain(`${at}.dom`, dom);
  const n = s.domains[dom].p2m.length;
  if (!isIndex(gfn, n)) t.badIndex(`${at}.gfn`, `a GFN of dom${dom}`, n, gfn);
}

/** The virtio-GPU slice's type-ok checks. */
export function virtioTypeOk(t: TypeFindings, s: State): void {
  const v = s.virtio;
  if (v === undefined) return;
  if (!isDomain(s, v.backend)) t.badDomain('$.virtio.backend', v.backend);
  if (!isDomain(s, v.frontend)) return t.badDomain('$.virtio.frontend', v.frontend);
  v.maps.forEach((m, h) => {
    if (m === null) return;
    const at = `$.virtio.maps[${h}]`;
    if (!isDomain(s, m.provider)) t.badDomain(`${at}.provider`, m.provider);
    if (!isFrame(s, m.mfn)) t.badFrame(s, `${at}.mfn`, m.mfn);
    checkGfn(t, s, at, m.dom, m.gfn);
    if (m.parent !== -1 && !isIndex(m.parent, v.maps.length)) t.badIndex(`${at}.parent`, '-1 or a Map handle', v.maps.length, m.parent);
  });
  v.hypercalls.forEach((x, i) => {
    if (!isFrame(s, x.mfn)) t.badFrame(s, `$.virtio.hypercalls[${i}].mfn`, x.mfn);
    checkGfn(t, s, `$.virtio.hypercalls[${i}]`, x.dom, x.gfn);
  });
  v.dmas.forEach((x, i) => {
    const at = `$.virtio.dmas[${i}]`;
    if (x.mfn !== undefined && !isFrame(s, x.mfn)) t.badFrame(s, `${at}.mfn`, x.mfn);
    if (!isDomain(s, x.by)) t.badDomain(`${at}.by`, x.by);
    else if (!isIndex(x.bfn, s.domains[x.by].p2m.length)) t.badIndex(`${at}.bfn`, 'a BFN (shared EPT: a GFN)', s.domains[x.by].p2m.length, x.bfn);
    if (!v.devices.some((d) => d.dom === x.by && d.name === x.device)) t.bad(`${at}.device`, `a device of dom${x.by}`, x.device);
  });
  v.devices.forEach((d, i) => isDomain(s, d.dom) || t.badDomain(`$.virtio.devices[${i}].dom`, d.dom));
  v.ioreqs.forEach((r, i) => checkGfn(t, s, `$.virtio.ioreqs[${i}]`, r.dom, r.gfn));
  const gfns = s.domains[v.frontend].p2m.length;
  v.faultRanges.forEach((g, i) => isIndex(g, gfns) || t.badIndex(`$.virtio.faultRanges[${i}]`, 'a GFN of the frontend', gfns, g));
  for (const key of Object.keys(v.iomemCaps)) {
    if (!isDomain(s, Number(key))) t.badDomain(`$.virtio.iomemCaps[${key}] (domain)`, key);
    v.iomemCaps[Number(key)].forEach((mfn, i) => isFrame(s, mfn) || t.badFrame(s, `$.virtio.iomemCaps[${key}][${i}]`, mfn));
  }
  v.stolen.forEach((x, i) => isFrame(s, x.mfn) || t.badFrame(s, `$.virtio.stolen[${i}].mfn`, x.mfn));
}
