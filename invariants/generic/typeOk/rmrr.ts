/**
 * type-ok over the device-assignment slice: the hardware domain exists, every device's RMRRs index
 * the platform's RMRR list, its owner is null or a domain and its context a domain or 'quarantine',
 * in-flight DMAs come from domains, and per-domain records (reservations, IOMMU-only entries) name
 * RMRRs and frames that exist.
 */
import type { State } from '../../../src/model/core/state.ts';
import type { TypeFindings } from './check.ts';
import { domainId, frameNumber } from './core.ts';

/** The device-assignment slice's type-ok checks. */
export function rmrrTypeOk(t: TypeFindings, s: State): void {
  const p = s.platform;
  if (p === undefined) return;
  domainId(t, s, '$.platform.hwdom', p.hwdom);
  p.rmrrs.forEach((r, i) => {
    frameNumber(t, s, `$.platform.rmrrs[${i}].base`, r.base);
    frameNumber(t, s, `$.platform.rmrrs[${i}] (last page)`, r.base + r.pages - 1);
  });
  p.devices.forEach((d, i) => {
    const at = `$.platform.devices[${i}]`;
    d.rmrrs.forEach((r, j) => t.index(`${at}.rmrrs[${j}]`, r, 0, p.rmrrs.length, 'an RMRR index'));
    if (d.owner !== null) domainId(t, s, `${at}.owner`, d.owner);
    if (d.context !== 'quarantine') domainId(t, s, `${at}.context`, d.context);
    d.inflight.forEach((x, j) => domainId(t, s, `${at}.inflight[${j}].by`, x.by));
  });
  if (p.domains.length > s.domains.length) t.bad('$.platform.domains', `at most one record per domain (${s.domains.length})`, p.domains.length);
  p.domains.forEach((dp, dom) => {
    const at = `$.platform.domains[${dom}]`;
    dp.reservation?.rmrrs.forEach((r, j) => t.index(`${at}.reservation.rmrrs[${j}]`, r, 0, p.rmrrs.length, 'an RMRR index'));
    dp.iommuOnly.forEach((x, j) => frameNumber(t, s, `${at}.iommuOnly[${j}].mfn`, x.mfn));
  });
}
