/**
 * `rmrr-v2`: Kevin Tian's v2 design with George Dunlap's amendments (seed 003):
 *  - reserve at domain creation: the RMRRs of statically assigned devices, every RMRR when the guest's
 *    layout mirrors the host (off by default, for hot-plug), or an explicit list; the domain builder and
 *    hvmloader keep them free and only warn where they cannot (user-space policy 'warn'), and Xen
 *    refuses to map anything else there (Guideline-3's forced reservation);
 *  - assigning a device whose RMRRs were not reserved fails in the toolstack, with a message saying
 *    how to fix it;
 *  - Xen's check at assignment is the last resort: unoccupied → identity map, identity → nothing,
 *    other → conflict, which fails (default) or warns (the USB legacy-keyboard boot option);
 *  - devices sharing an RMRR are denied, in the toolstack and in Xen, unless the user overrides it.
 * Deassignment is not in the thread; the design sends deassigned devices to a quarantine context by
 * default (knob `deassignTo`), since DMA programmed before a deassignment can arrive after it.
 */
import { RMRR_V2 } from '../ops/semantics.ts';
import { rmrrOps } from '../ops/rmrrOps.ts';
import type { KnobValues } from '../../core/op.ts';
import { CORE_INVARIANT_IDS } from '../../core/designs/coreInvariants.ts';
import { RMRR_INVARIANT_IDS } from './rmrrInvariants.ts';
import { buildRmrrWorld } from '../world.ts';
import { rmrrTeardown } from '../teardown.ts';
import type { Design, Expectation } from '../../core/design.ts';
import { rmrrConfig, RMRR_KNOBS } from '../knobs.ts';

/** What each non-default knob value is expected to break, and why: always the override's doing. */
function expectations(knobs: KnobValues): Record<string, Expectation> {
  const c = rmrrConfig(knobs);
  const out: Record<string, Expectation> = {};
  if (c.rmrrConflict === 'warn') {
    out['rmrr-identity-while-assigned'] = {
      verdict: 'violated',
      why: "rmrrConflict=warn (the override's doing): Xen assigns a device whose RMRR GFN holds guest RAM, with a warning, and leaves it without the identity map",
    };
  }
  if (c.sharedRmrr === 'allow') {
    out['no-shared-rmrr-across-vms'] = {
      verdict: 'violated',
      why: "sharedRmrr=allow (the override's doing): a device sharing an RMRR goes to a guest while the other stays with another domain",
    };
  }
  if (c.deassignTo === 'hwdom') {
    const why = "deassignTo=hwdom (the override's doing): a deassigned device's in-flight DMA lands in the hardware domain's memory";
    out['device-dma-only-own-domain'] = { verdict: 'violated', why };
    out['no-foreign-reach'] = { verdict: 'violated', why };
  }
  if (!c.unmapOnDeassign) {
    const why = "unmapOnDeassign=false: the device leaves but its RMRR identity map stays in the domain it left";
    out['no-rmrr-map-without-device'] = { verdict: 'violated', why: `${why}, with no device of that domain using it` };
    out['no-shared-rmrr-across-vms'] ??= { verdict: 'violated', why: `${why}; the device's next domain maps the same RMRR, so two domains map it` };
    out['no-foreign-reach'] ??= { verdict: 'violated', why: `${why}: the old domain's CPU and devices still reach the reserved frames` };
    out['device-dma-only-own-domain'] ??= { verdict: 'violated', why: `${why}: the old domain's other devices reach the reserved frames through it` };
  }
  return out;
}

/** What assignment adds when a domain is destroyed or a GFN filled. */
const TEARDOWN = rmrrTeardown(RMRR_V2);

/** The v2 RMRR design. */
export const rmrrV2: Design = {
  id: 'rmrr-v2',
  title: 'RMRR fix v2: reserve at creation, toolstack check, hypervisor last-resort check, deny sharing',
  description:
    'Guests reserve RMRR GFNs when built; libxl refuses devices whose RMRRs were not reserved and devices that share an RMRR; Xen identity-maps RMRRs in p2m and IOMMU and refuses conflicts; deassigned devices go to quarantine.',
  source: "seed 003: Kevin Tian's v2 proposal (§3.2, §3.3, §3.8) and George Dunlap's reply",
  knobs: RMRR_KNOBS,
  variants: [{ rmrrConflict: 'warn' }, { sharedRmrr: 'allow' }, { deassignTo: 'hwdom' }, { iommuPt: 'separate' }, { unmapOnDeassign: false }],
  teardown: TEARDOWN,
  ops: rmrrOps(RMRR_V2, TEARDOWN),
  invariants: [...CORE_INVARIANT_IDS, ...RMRR_INVARIANT_IDS],
  expect: expectations,
  sometimes: () => ['hotplug-assignment', 'static-assignment', 'unreserved-assignment-refused', 'reserved-gfn-map-refused', 'freed-frame-reallocated'],
  buildWorld: (scope, knobs) => {
    const c = rmrrConfig(knobs);
    return buildRmrrWorld(scope, RMRR_V2, {
      policy: { rmrrConflict: c.rmrrConflict, sharedRmrr: c.sharedRmrr, requireReservation: true, ...(c.unmapOnDeassign ? {} : { unmapOnDeassign: false }) },
      iommuPt: c.iommuPt,
      deassignTo: c.deassignTo,
      // dom1 is an ordinary guest with no devices; dom2 mirrors the host layout, ready for hot-plug.
      guests: [
        { static: [], mirrorHost: false, explicit: [] },
        { static: [], mirrorHost: true, explicit: [] },
      ],
    });
  },
};
