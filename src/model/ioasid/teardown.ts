/**
 * What the IOASID slice adds to the core's teardown: a VMM process's exit closes its IOASID fds (the
 * kernel releases them exactly as an explicit close does: detach, unbind, unpin, unaccount, drain) and
 * forgets its KVM PASID table; an munmap (decrease_reservation on the VMM's HVA page table) of a pinned
 * page is counted — the pin keeps the frame allocated until it is unpinned.
 */
import type { Teardown } from '../core/teardown.ts';
import { ioasidConfig } from './knobs.ts';
import { closeFd } from './kernel.ts';

/** The IOASID teardown steps. */
export const IOASID_TEARDOWN: Partial<Teardown> = {
  destroyDomain: [
    {
      name: 'close its IOASID fds',
      doc: "a VMM process's exit closes its IOASID fds as close() does, and KVM forgets the VM's PASID table",
      run(state, dom, ctx) {
        const s = state.ioasid;
        if (s === undefined) return;
        const cfg = ioasidConfig(ctx.knobs);
        s.fds.forEach((f, fd) => {
          if (f === null || f.owner !== dom) return;
          if (s.devices.some((d) => d.boundFd === fd)) ctx.note('process-exit-with-devices-bound');
          closeFd(state, s, fd, cfg, ctx);
        });
        for (const d of s.devices) if (d.owner === dom) d.inflight = [];
        if (s.kvmPasid[dom] !== undefined) {
          const { [dom]: _gone, ...rest } = s.kvmPasid;
          s.kvmPasid = rest;
        }
      },
    },
  ],
  balloonOut: [
    {
      name: 'count an munmap of a pinned page',
      doc: 'an munmap of a page an IOASID mapping, registration or access pin holds leaves the frame allocated until it is unpinned',
      before(state, dom, gfn, ctx) {
        const s = state.ioasid;
        const e = state.domains[dom]?.p2m[gfn];
        if (s === undefined || e === null || e === undefined) return;
        const pinned =
          s.fds.some(
            (f) =>
              f !== null &&
              (f.ioasids.some((a) => a !== null && a.maps.some((m) => m !== null && m.via === 'hva' && m.mfn === e.mfn)) ||
                f.registered.some((r) => r.frames.some((x) => x.mfn === e.mfn))),
          ) || s.devices.some((d) => d.pins.some((p) => p.mfn === e.mfn));
        if (pinned) ctx.note('hva-munmapped-while-pinned');
      },
    },
  ],
};
