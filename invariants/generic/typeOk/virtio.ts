/**
 * type-ok over the virtio-GPU slice: the backend and frontend are domains, every Map's provider,
 * recipient, frame and GFN exist and its parent is -1 or a Map slot, and every in-flight hypercall and
 * DMA, IOREQ, fault range, iomem capability and stolen record names frames and GFNs that exist.
 */
import type { State } from '../../../src/model/core/state.ts';
import type { TypeFindings } from './check.ts';
import { domainId, frameNumber } from './core.ts';

/** A GFN of `dom`'s p2m, when `dom` is a domain id at all. */
function gfnOf(t: TypeFindings, s: State, at: string, dom: number, gfn: unknown): void {
  if (domainId(t, s, `${at}.dom`, dom)) t.index(`${at}.gfn`, gfn, 0, s.domains[dom].p2m.length, `a GFN of dom${dom}`);
}

/** The virtio-GPU slice's type-ok checks. */
export function virtioTypeOk(t: TypeFindings, s: State): void {
  const v = s.virtio;
  if (v === undefined) return;
  domainId(t, s, '$.virtio.backend', v.backend);
  domainId(t, s, '$.virtio.frontend', v.frontend);
  v.maps.forEach((m, h) => {
    if (m === null) return;
    const at = `$.virtio.maps[${h}]`;
    domainId(t, s, `${at}.provider`, m.provider);
    frameNumber(t, s, `${at}.mfn`, m.mfn);
    gfnOf(t, s, at, m.dom, m.gfn);
    if (m.parent !== -1) t.index(`${at}.parent`, m.parent, 0, v.maps.length, '-1 or a Map handle');
  });
  v.hypercalls.forEach((x, i) => {
    frameNumber(t, s, `$.virtio.hypercalls[${i}].mfn`, x.mfn);
    gfnOf(t, s, `$.virtio.hypercalls[${i}]`, x.dom, x.gfn);
  });
  v.dmas.forEach((x, i) => {
    const at = `$.virtio.dmas[${i}]`;
    frameNumber(t, s, `${at}.mfn`, x.mfn);
    if (domainId(t, s, `${at}.dom`, x.dom)) t.index(`${at}.bfn`, x.bfn, 0, s.domains[x.dom].p2m.length, 'a BFN (shared EPT: a GFN)');
    if (!v.devices.some((d) => d.dom === x.dom && d.name === x.device)) t.bad(`${at}.device`, `a device of dom${x.dom}`, x.device);
  });
  v.devices.forEach((d, i) => domainId(t, s, `$.virtio.devices[${i}].dom`, d.dom));
  v.ioreqs.forEach((r, i) => gfnOf(t, s, `$.virtio.ioreqs[${i}]`, r.dom, r.gfn));
  v.faultRanges.forEach((g, i) => t.index(`$.virtio.faultRanges[${i}]`, g, 0, s.domains[v.frontend]?.p2m.length ?? 0, 'a GFN of the frontend'));
  for (const [dom, caps] of Object.entries(v.iomemCaps)) {
    domainId(t, s, `$.virtio.iomemCaps[${dom}] (domain)`, Number(dom));
    caps.forEach((mfn, i) => frameNumber(t, s, `$.virtio.iomemCaps[${dom}][${i}]`, mfn));
  }
  v.stolen.forEach((x, i) => frameNumber(t, s, `$.virtio.stolen[${i}].mfn`, x.mfn));
}
