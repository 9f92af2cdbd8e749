/** Words for the IOASID slice's hops. */
import { hex } from '../core/words.ts';
import type { HopWords } from '../core/slice.ts';
import type { IoasidHops } from './hops.ts';

/** Words for each IOASID hop. */
export const ioasidHopWords: HopWords<IoasidHops> = {
  ioasidAttach: (h) =>
    h.how === 'pasid'
      ? `${h.device} vPASID ${h.pasid} → fd${h.fd} IOASID ${h.ioasid}`
      : `${h.device} ${h.how === 'group' ? "group's shared context" : 'RID'} → fd${h.fd} IOASID ${h.ioasid}`,
  ioasidMap: (h) => `fd${h.fd} IOASID ${h.ioasid} iova ${hex(h.iova)} → dom${h.owner} hva ${hex(h.hva)}`,
  ioasidShadow: (h) => `shadow of fd${h.fd} IOASID ${h.ioasid}: iova ${hex(h.iova)} (gpa ${hex(h.gpa)})`,
  ioasidGuestTable: (h) => `guest ${h.table === 'pasid' ? 'PASID table entry' : 'stage-1 entry'} ${h.index} → gpa ${hex(h.gpa)}`,
  ioasidTablePage: (h) => `its bound table page at ${h.addrKind} ${hex(h.addr)}`,
  ioasidRegistered: (h) => `fd${h.fd} registered hva ${hex(h.hva)}`,
  accessPin: (h) => `${h.device} access pin of fd${h.fd} IOASID ${h.ioasid} iova ${hex(h.iova)}`,
  kvmPasid: (h) => `KVM PASID table of dom${h.dom}: guest PASID ${h.guestPasid} → fd${h.fd} IOASID ${h.ioasid}`,
  ioDmaInFlight: (h) => `${h.device} DMA in flight (slot ${h.slot}) to ${h.pasid >= 0 ? `PASID ${h.pasid} ` : ''}iova ${hex(h.iova)}`,
};
