/**
 * `rmrr-2014`: device assignment with RMRRs as Xen did it before the fix (seed 003, Kevin Tian's
 * "current RMRR implementation in Xen only partially achieves a) and completely misses b)"):
 *  - Issue-1: under shared EPT no identity map is set up at all (with a separate IOMMU, only the IOMMU
 *    gets one, the p2m does not);
 *  - Issue-2: no conflict detection anywhere — the builder lays RAM from GFN 0, hvmloader knows no
 *    RMRRs, Xen maps over whatever is there;
 *  - Issue-3: devices sharing an RMRR are not handled;
 *  - a deassigned device goes back to the hardware domain's context, DMA in flight and all.
 * There was no policy to configure; it is judged against the thread's defaults (fail on conflict,
 * deny sharing). Reservation is not required of it: 2014 had no way to make one.
 */
import { RMRR_2014 } from '../ops/semantics.ts';
import { rmrrOps } from '../ops/rmrrOps.ts';
import { CORE_INVARIANT_IDS } from '../../core/designs/coreInvariants.ts';
import { RMRR_INVARIANT_IDS } from './rmrrInvariants.ts';
import { buildRmrrWorld } from '../world.ts';
import { rmrrTeardown } from '../teardown.ts';
import type { Design } from '../../core/design.ts';
import { rmrrConfig, RMRR_KNOBS } from '../knobs.ts';

const NO_DEVICES = { static: [], mirrorHost: false, explicit: [] };

/** What assignment adds when a domain is destroyed or a GFN filled. */
const TEARDOWN = rmrrTeardown(RMRR_2014);

/** Xen 4.5-era RMRR handling. */
export const rmrr2014: Design = {
  id: 'rmrr-2014',
  title: 'RMRRs before the fix: no identity map under shared EPT, no conflict detection, sharing unhandled',
  description:
    'Devices with RMRRs are assigned with no check of the guest GFN space and, under shared EPT, without the identity map VT-d requires; devices sharing an RMRR go to different VMs; deassigned devices return to the hardware domain with their DMA still in flight.',
  source: 'seed 003: Kevin Tian, "(v2) Design proposal for RMRR fix", Issue-1, Issue-2, Issue-3',
  knobs: {
    iommuPt: { ...RMRR_KNOBS.iommuPt, description: "whether the IOMMU walks the p2m (shared EPT, Issue-1's case) or has its own page tables" },
  },
  variants: [{ iommuPt: 'separate' }],
  teardown: TEARDOWN,
  ops: rmrrOps(RMRR_2014, TEARDOWN),
  invariants: [...CORE_INVARIANT_IDS, ...RMRR_INVARIANT_IDS],
  expect: (knobs) => ({
    'rmrr-identity-while-assigned': {
      verdict: 'violated',
      why:
        rmrrConfig(knobs).iommuPt === 'separate'
          ? 'Issue-1: the 2014 code puts the identity map in a separate IOMMU only; the p2m never gets it'
          : 'Issue-1: under shared EPT the 2014 code sets up no identity map for an assigned device\'s RMRR',
    },
    'assign-refused-exactly-on-policy': {
      verdict: 'violated',
      why: 'Issue-2/3: no conflict detection and no sharing check, so an assignment over guest RAM (or of a shared RMRR) succeeds',
    },
    'no-shared-rmrr-across-vms': {
      verdict: 'violated',
      why: 'Issue-3: a device sharing an RMRR goes to a guest while the other stays with dom0 (or goes to another guest)',
    },
    'device-dma-only-own-domain': {
      verdict: 'violated',
      why: "a deassigned device returns to the hardware domain's context, where DMA the guest programmed lands in dom0's memory",
    },
    'no-foreign-reach': {
      verdict: 'violated',
      why: "the same in-flight DMA: the device acts for the guest but reaches the hardware domain's frames",
    },
    'rmrr-space-reserved': {
      verdict: 'violated',
      why: "nothing keeps the hardware domain's RMRR GFNs (reserved in the host E820) free once its device has left: dom0 can populate RAM there",
    },
  }),
  sometimes: () => ['hotplug-assignment', 'static-assignment', 'freed-frame-reallocated'],
  buildWorld: (scope, knobs) =>
    buildRmrrWorld(scope, RMRR_2014, {
      policy: { rmrrConflict: 'fail', sharedRmrr: 'deny', requireReservation: false },
      iommuPt: rmrrConfig(knobs).iommuPt,
      deassignTo: 'hwdom',
      guests: [NO_DEVICES, NO_DEVICES],
    }),
};
