/**
 * Where an IOASID device's DMA is translated, as the core's one device-DMA model names it
 * (core/device/): a `slice` context whose page walk is this slice's own two-stage translation
 * (translate.ts — RID or group context, vPASID or a bound guest PASID table, then a root's mapping, a
 * software child's shadow or a hardware child's guest stage 1 through the parent), keyed for the IOTLB
 * by the IOASID the request is attached to (VT-d tags its IOTLB by domain and PASID). So a DMA is
 * performed, cached and counted by the core (`performDma`, `translateDma`), as every other slice's is.
 */
import type { DmaContext } from '../core/device/context.ts';
import type { State } from '../core/state.ts';
import { liveIoasid, ridContext } from './lookup.ts';
import type { IoasidState, IoDevice } from './state.ts';
import { hit, walkRequest } from './translate.ts';

/** The IOTLB key of a request: the IOASID (and PASID) it is attached to, or the device alone when it has none. */
function contextKeyOf(s: IoasidState, dev: IoDevice, pasid: number): string {
  const ctx = ridContext(s, dev);
  if (pasid < 0) return ctx === null ? `ioasid ${dev.name}` : `ioasid fd${ctx.fd}/${ctx.ioasid}`;
  const tbl = ctx === null ? undefined : liveIoasid(s, ctx.fd, ctx.ioasid);
  if (ctx !== null && tbl?.kind === 'pasidtbl' && tbl.bound !== null) return `ioasid fd${ctx.fd}/${ctx.ioasid} pasid ${pasid}`;
  const att = dev.pasids.find((p) => p.vpasid === pasid);
  return att === undefined ? `ioasid ${dev.name} pasid ${pasid}` : `ioasid fd${att.fd}/${att.ioasid} pasid ${att.host}`;
}

/** The context `dev`'s requests with PASID `pasid` (-1: none) are translated in now. */
export function ioasidDmaContext(s: IoasidState, dev: IoDevice, pasid: number): DmaContext {
  return {
    kind: 'slice',
    key: contextKeyOf(s, dev, pasid),
    walk(state: State, iova, hops) {
      const w = walkRequest(state, state.ioasid!, dev, pasid, iova);
      if (!hit(w)) return undefined;
      hops?.push(...w.hops);
      return { mfn: w.mfn, gen: w.gen, write: w.write };
    },
  };
}
