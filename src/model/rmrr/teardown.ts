/**
 * What device assignment adds to the core's teardown: a destroyed domain's devices are given back
 * first, the way the design deassigns them (Xen's pci_release_devices); and — where the design enforces
 * reservations (v2, Guideline-3 of seed 003) — nothing is put at a GFN reserved for an RMRR, so that
 * when the device comes the hypervisor's check finds it unoccupied. (George Dunlap: "we don't have a
 * reliable way to reclaim a particular gpfn space from a guest once it's been used".)
 */
import { isAlive } from '../core/lookup.ts';
import type { Teardown } from '../core/teardown.ts';
import { releaseDevice } from './ops/devices.ts';
import type { RmrrSemantics } from './ops/semantics.ts';
import { isReservedGfn } from './rmrr.ts';

/** The assignment steps of a design's semantics. */
export function rmrrTeardown(sem: RmrrSemantics): Teardown {
  return {
    destroyDomain: [
      {
        name: 'deassign its devices',
        doc: "its devices are deassigned first, to the hardware domain's context or to quarantine as the design does it; the hardware domain keeps its own",
        run(state, dom, ctx) {
          const p = state.platform;
          if (p !== undefined && dom !== p.hwdom && isAlive(state, dom)) {
            for (const dev of p.devices) if (dev.owner === dom) releaseDevice(sem, state, p, dev, ctx);
          }
        },
      },
    ],
    balloonOut: [],
    fillGfn: sem.enforcesReservation
      ? [
          {
            name: 'refuse reserved GFNs',
            doc: 'refused at a GFN reserved for an RMRR',
            check(state, dom, gfn, ctx) {
              if (gfn < 0 || !isReservedGfn(state, dom, gfn)) return undefined;
              ctx.note('reserved-gfn-map-refused');
              return 'EBUSY';
            },
          },
        ]
      : [],
    allocFrame: [],
  };
}
