/**
 * type-ok over the device-assignment slice: the hardware domain exists, every device's RMRRs index
 * the platform's RMRR list, its owner is null or a domain and its context a domain or 'quarantine',
 * in-flight DMAs come from domains, and per-domain records (reservations, IOMMU-only entries) name
 * RMRRs and frames that exist.
 */
import type { State } from '../../../src/model/core/state.ts';
import type { TypeFindings } from './check.ts';
import { isDomain, isFrame, isIndex } from './check.ts';

/** The device-assignment slice's type-ok checks. */
export function rmrrTypeOk(t: TypeFindings, s: State): void {
  const p = s.platform;
  if (p === undefined) return;
  if (!isDomain(s, p.hwdom)) t.badDomain('$.platform.hwdom', p.hwdom);
  const n = p.rmrrs.length;
  p.rmrrs.forEach((r, i) => {
    if (!isFrame(s, r.base) || !isFrame(s, r.base + r.pages - 1)) t.bad(`$.platform.rmrrs[${i}]`, `a range of MFNs below ${s.frames.length}`, r);
  });
  p.devices.forEach((d, i) => {
    const at = `$.platform.devices[${i}]`;
    d.rmrrs.forEach((r, j) => isIndex(r, n) || t.badIndex(`${at}.rmrrs[${j}]`, 'an RMRR index', n, r));
    if (d.owner !== null && !isDomain(s, d.owner)) t.badDomain(`${at}.owner`, d.owner);
    if (d.context !== 'quarantine' && !isDomain(s, d.context)) t.badDomain(`${at}.context`, d.context);
    d.inflight.forEach((x, j) => isDomain(s, x.by) || t.badDomain(`${at}.inflight[${j}].by`, x.by));
  });
  if (p.domains.length > s.domains.length) t.bad('$.platform.domains', `at most one record per domain (${s.domains.length})`, p.domains.length);
  p.domains.forEach((dp, dom) => {
    const at = `$.platform.domains[${dom}]`;
    dp.reservation?.rmrrs.forEach((r, j) => isIndex(r, n) || t.badIndex(`${at}.reservation.rmrrs[${j}]`, 'an RMRR index', n, r));
    dp.iommuOnly.forEach((x, j) => isFrame(s, x.mfn) || t.badFrame(s, `${at}.iommuOnly[${j}].mfn`, x.mfn));
  });
}
